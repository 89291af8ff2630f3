/*
 * mahavishnu-gen-docs DIR: writes what the build installs beside the
 * program, made from the same command table: the man pages (DIR/man/NAME.1,
 * cli/man_page.h) and the completion scripts (DIR/completions/mahavishnu.bash,
 * _mahavishnu for zsh, mahavishnu.fish; cmd/completion/scripts.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/man_page.h"
#include "cmd/completion/scripts.h"
#include "core/xalloc.h"

static int
write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	int ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "mahavishnu-gen-docs: cannot write %s: %s\n", path, strerror(errno));
	free(path);
	return ok ? 0 : -1;
}

static int
make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "mahavishnu-gen-docs: cannot make %s: %s\n", dir, strerror(errno));
	return -1;
}

static int
man_pages(const char *dir)
{
	struct strlist pages = STRLIST_INIT;
	int rc = make_dir(dir);
	man_page_paths(&pages);
	for (size_t i = 0; rc == 0 && i < pages.len; i++) {
		struct buf page = BUF_INIT;
		char *name = man_page_name(pages.items[i]);
		char *file = xasprintf("%s.1", name);
		man_page_write(&page, pages.items[i]);
		rc = write_file(dir, file, page.data, page.len);
		buf_release(&page);
		free(file);
		free(name);
	}
	strlist_release(&pages);
	return rc;
}

static int
completions(const char *dir)
{
	static const char *const files[][2] = {
		{ "bash", "mahavishnu.bash" },
		{ "zsh", "_mahavishnu" },
		{ "fish", "mahavishnu.fish" },
	};
	int rc = make_dir(dir);
	for (size_t i = 0; rc == 0 && i < sizeof(files) / sizeof(files[0]); i++) {
		const char *script = completion_script(files[i][0]);
		rc = write_file(dir, files[i][1], script, strlen(script));
	}
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mahavishnu-gen-docs DIR\n");
		return 2;
	}
	char *man = xasprintf("%s/man", argv[1]);
	char *comp = xasprintf("%s/completions", argv[1]);
	int rc = make_dir(argv[1]) < 0 || man_pages(man) < 0 || completions(comp) < 0;
	free(man);
	free(comp);
	return rc;
}
