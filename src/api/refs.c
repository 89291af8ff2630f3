/* IDs, prefixes and names as users type them (see refs.h). */
#include "api/refs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/json.h"

int
prefect_is_uuid(const char *s)
{
	static const int dash_at[] = { 8, 13, 18, 23 };
	if (strlen(s) != 36)
		return 0;
	for (int i = 0, d = 0; i < 36; i++) {
		if (d < 4 && i == dash_at[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

int
prefect_is_id_prefix(const char *s)
{
	size_t n = strlen(s);
	if (n < 4 || n > 36)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

int
prefect_name_is_valid(const char *s)
{
	return *s && !strpbrk(s, "/%&><");
}

int
prefect_ambiguous(struct error *err, const char *ref, const char *what, const json_t *matches)
{
	struct buf list = BUF_INIT;
	size_t i, n = json_array_size(matches);
	json_t *m;
	json_array_foreach(matches, i, m) {
		if (i == 5) {
			buf_addf(&list, ", and %zu more", n - 5);
			break;
		}
		const char *name = json_str(m, "name"), *id = json_str(m, "id");
		buf_addf(&list, "%s%s (%s)", i ? ", " : "", name ? name : "?", id ? id : "?");
	}
	error_set(err, ERROR_AMBIGUOUS, "'%s' matches %zu %s: %s", ref, n, what, buf_str(&list));
	buf_release(&list);
	return -1;
}

json_t *
prefect_match_id_prefix(const json_t *list, const char *prefix)
{
	json_t *matches = json_array(), *o;
	size_t i, n = strlen(prefix);
	json_array_foreach(list, i, o) {
		const char *id = json_str(o, "id");
		if (id && !strncasecmp(id, prefix, n))
			json_array_append(matches, o);
	}
	return matches;
}
