/* Readers for server JSON objects (see json.h). */
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

const char *
json_str(const json_t *obj, const char *key)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
json_str_path(const json_t *obj, const char *path)
{
	char key[64];
	const char *dot;
	while ((dot = strchr(path, '.')) != NULL) {
		size_t n = (size_t)(dot - path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_is_object(obj) ? json_object_get(obj, key) : NULL;
		path = dot + 1;
	}
	return json_str(obj, path);
}

double
json_num(const json_t *obj, const char *key, double dflt)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	return json_is_number(v) ? json_number_value(v) : dflt;
}

void
json_append(struct buf *out, const json_t *v, size_t flags)
{
	char *s = json_dumps(v, flags | JSON_ENCODE_ANY);
	if (!s)
		die_oom();
	buf_adds(out, s);
	free(s);
}

json_t *
json_string_array(char *const *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

json_t *
json_string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
json_index_by(const json_t *list, const char *key)
{
	json_t *map = json_object(), *item;
	size_t i;
	json_array_foreach(list, i, item)
		if (json_str(item, key))
			json_object_set(map, json_str(item, key), item);
	return map;
}
