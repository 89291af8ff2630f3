/* Reading a command's option table through cmd_parse() (see introspect.h). */
#include "cli/introspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static size_t
copy_specs(const struct opt_spec *specs, struct opt_info **out)
{
	size_t n = 0;
	while (specs && specs[n].type != OPT_END)
		n++;
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		struct opt_info *o = &(*out)[i];
		o->type = specs[i].type;
		o->short_name = specs[i].short_name;
		o->long_name = dup_or_null(specs[i].long_name);
		o->value_name = dup_or_null(specs[i].value_name);
		o->help = dup_or_null(specs[i].help);
		o->flags = specs[i].flags;
		for (const char *const *c = specs[i].choices; c && *c; c++)
			strlist_add(&o->choices, *c);
	}
	return n;
}

static void
take_specs(void *data, const struct opt_spec *specs, const struct opt_spec *globals)
{
	struct cmd_info *info = data;
	info->len = copy_specs(specs, &info->opts);
	info->globals_len = copy_specs(globals, &info->globals);
	info->described = 1;
}

int
cmd_describe(const struct cmd_entry *entry, struct cmd_info *info)
{
	FILE *null = fopen("/dev/null", "w");
	struct cmd_ctx ctx = {
		.path = entry->path,
		.help = entry->help,
		.flags = entry->flags,
		.out = null ? null : stdout,
		.err = null ? null : stderr,
		.describe = take_specs,
		.describe_data = info,
	};
	char *argv[] = { (char *)entry->path, NULL };
	memset(info, 0, sizeof(*info));
	info->entry = entry;
	entry->exec(&ctx, 0, argv + 1);
	if (null)
		fclose(null);
	return info->described ? 0 : -1;
}

static void
release_opts(struct opt_info *opts, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		free(opts[i].long_name);
		free(opts[i].value_name);
		free(opts[i].help);
		strlist_release(&opts[i].choices);
	}
	free(opts);
}

void
cmd_info_release(struct cmd_info *info)
{
	release_opts(info->opts, info->len);
	release_opts(info->globals, info->globals_len);
	memset(info, 0, sizeof(*info));
}

static const struct opt_info *
find_in(const struct opt_info *opts, size_t len, const char *name)
{
	for (size_t i = 0; i < len; i++) {
		if (opts[i].type == OPT_ARG)
			continue;
		if (name[1] ? opts[i].long_name && !strcmp(opts[i].long_name, name) :
			      opts[i].short_name == name[0])
			return &opts[i];
	}
	return NULL;
}

const struct opt_info *
cmd_info_option(const struct cmd_info *info, const char *name)
{
	const struct opt_info *o = find_in(info->opts, info->len, name);
	return o ? o : find_in(info->globals, info->globals_len, name);
}
