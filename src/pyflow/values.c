/*
 * Default values as pydantic writes them into a JSON schema (mode "json"):
 * literals, containers of literals (tuples and sets become arrays), and
 * simple constructors: datetime, date, time, timedelta (ISO 8601
 * durations), Path, UUID, Decimal, members of the file's enums, and
 * instances of the file's models. Anything else is NULL: not known here.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "pyflow/schema.h"

/* An int or float literal (underscores allowed), or NULL. */
static json_t *
number(const struct pyflow_file *f, TSNode n, int negate)
{
	char *text = pf_text(f, n), *w = text;
	for (char *r = text; *r; r++)
		if (*r != '_')
			*w++ = *r;
	*w = '\0';
	json_t *v = NULL;
	char *end;
	errno = 0;
	if (pf_is(n, "integer") && !strpbrk(text, "oObBjJlL")) {
		long long i = strtoll(text, &end, text[0] == '0' && text[1] ? 16 : 10);
		if (!*end && !errno)
			v = json_integer(negate ? -i : i);
	} else if (pf_is(n, "float") && !strpbrk(text, "jJ")) {
		double d = strtod(text, &end);
		if (!*end && !errno && isfinite(d))
			v = json_real(negate ? -d : d);
	}
	free(text);
	return v;
}

static json_t *
sequence(struct schema_ctx *c, TSNode n)
{
	json_t *a = json_array();
	for (uint32_t i = 0; i < pf_count(n); i++) {
		TSNode e = ts_node_named_child(n, i);
		if (pf_is(e, "comment"))
			continue;
		json_t *v = pf_value(c, e);
		if (!v) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, v);
	}
	return a;
}

/* A set's iteration order is Python's: known here only for small ints. */
static json_t *
set_value(struct schema_ctx *c, TSNode n)
{
	json_t *a = sequence(c, n), *sorted = json_array();
	for (json_int_t want = 0; a && want < 8; want++) {
		size_t i;
		json_t *v;
		json_array_foreach(a, i, v) {
			if (json_is_integer(v) && json_integer_value(v) == want) {
				json_array_append(sorted, v);
				break;
			}
		}
	}
	if (!a || json_array_size(sorted) != json_array_size(a)) {
		json_decref(sorted);
		sorted = NULL;
	}
	json_decref(a);
	return sorted;
}

static json_t *
dict_value(struct schema_ctx *c, TSNode n)
{
	json_t *o = json_object();
	for (uint32_t i = 0; i < pf_count(n); i++) {
		TSNode pair = ts_node_named_child(n, i);
		char *key = NULL;
		json_t *v = NULL;
		if (pf_is(pair, "comment"))
			continue;
		if (!pf_is(pair, "pair") ||
		    !pf_string_value(c->file, pf_field(pair, "key"), &key) ||
		    !(v = pf_value(c, pf_field(pair, "value")))) {
			free(key);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, key, v);
		free(key);
	}
	return o;
}

#define MAX_CALL_ARGS 8

/* Positional int arguments of a call and keyword ones by name (in kw order). */
static int
int_args(struct schema_ctx *c, TSNode call, const char *const *kw, long long *out, size_t n)
{
	TSNode args = pf_field(call, "arguments");
	size_t pos = 0;
	for (uint32_t i = 0; i < pf_count(args); i++) {
		TSNode a = ts_node_named_child(args, i);
		size_t slot = pos++;
		if (pf_is(a, "keyword_argument")) {
			TSNode name = pf_field(a, "name");
			for (slot = 0; slot < n && !pf_text_eq(c->file, name, kw[slot]); slot++)
				;
			a = pf_field(a, "value");
		}
		json_t *v = slot < n ? pf_value(c, a) : NULL;
		int ok = json_is_integer(v);
		if (ok)
			out[slot] = json_integer_value(v);
		json_decref(v);
		if (!ok)
			return -1;
	}
	return 0;
}

static json_t *
datetime_value(struct schema_ctx *c, TSNode call, int date, int time)
{
	static const char *const dt_kw[] = { "year", "month", "day", "hour", "minute", "second" };
	static const char *const t_kw[] = { "hour", "minute", "second" };
	long long v[6] = { 0, 0, 0, 0, 0, 0 };
	if (int_args(c, call, time && !date ? t_kw : dt_kw, time && !date ? v + 3 : v,
		     time && !date ? 3 :
		     date && !time ? 3 :
				     6) < 0)
		return NULL;
	if (date && (v[0] < 1 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31))
		return NULL;
	if (v[3] < 0 || v[3] > 23 || v[4] < 0 || v[4] > 59 || v[5] < 0 || v[5] > 59)
		return NULL;
	char buf[32];
	if (date && time)
		snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", v[0], v[1],
			 v[2], v[3], v[4], v[5]);
	else if (date)
		snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lld", v[0], v[1], v[2]);
	else
		snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld", v[3], v[4], v[5]);
	return json_string(buf);
}

/* pydantic's ISO 8601 duration: P1DT2H, PT1H30M, PT0S. */
static json_t *
timedelta_value(struct schema_ctx *c, TSNode call)
{
	static const char *const kw[] = { "days",    "seconds", "microseconds", "milliseconds",
					  "minutes", "hours",   "weeks" };
	long long v[7] = { 0, 0, 0, 0, 0, 0, 0 };
	if (int_args(c, call, kw, v, 7) < 0 || v[2] || v[3])
		return NULL;
	long long secs = v[1] + v[4] * 60 + v[5] * 3600 + (v[0] + v[6] * 7) * 86400;
	if (secs < 0 || secs > 86400LL * 999999)
		return NULL;
	long long days = secs / 86400, rest = secs % 86400;
	struct buf b = BUF_INIT;
	buf_adds(&b, "P");
	if (days)
		buf_addf(&b, "%lldD", days);
	if (rest || !days) {
		buf_adds(&b, "T");
		if (rest / 3600)
			buf_addf(&b, "%lldH", rest / 3600);
		if (rest % 3600 / 60)
			buf_addf(&b, "%lldM", rest % 3600 / 60);
		if (rest % 60 || rest == 0)
			buf_addf(&b, "%lldS", rest % 60);
	}
	json_t *s = json_string(buf_str(&b));
	buf_release(&b);
	return s;
}

/* The single string argument of a call, or NULL. */
static char *
string_arg(struct schema_ctx *c, TSNode call)
{
	TSNode args = pf_field(call, "arguments");
	char *s = NULL;
	if (pf_count(args) != 1 || !pf_string_value(c->file, ts_node_named_child(args, 0), &s))
		return NULL;
	return s;
}

/* Path("x") as str(Path("x")): only paths it leaves unchanged. */
static json_t *
path_value(struct schema_ctx *c, TSNode call)
{
	char *s = string_arg(c, call);
	size_t n = s ? strlen(s) : 0;
	json_t *v = NULL;
	if (s && n && !strstr(s, "//") && !strstr(s, "/./") && strncmp(s, "./", 2) &&
	    (n == 1 || s[n - 1] != '/') && strcmp(s, "."))
		v = json_string(s);
	free(s);
	return v;
}

static json_t *
uuid_value(struct schema_ctx *c, TSNode call)
{
	char *s = string_arg(c, call);
	int ok = s && strlen(s) == 36;
	for (size_t i = 0; ok && i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		ok = dash ? s[i] == '-' : strchr("0123456789abcdefABCDEF", s[i]) != NULL;
		if (s[i] >= 'A' && s[i] <= 'F')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
	json_t *v = ok ? json_string(s) : NULL;
	free(s);
	return v;
}

/* Decimal("1.5") as pydantic dumps it: the same text, for plain decimals. */
static json_t *
decimal_value(struct schema_ctx *c, TSNode call)
{
	char *s = string_arg(c, call);
	const char *p = s && *s == '-' ? s + 1 : s;
	int ok = p && *p >= '0' && *p <= '9' && (p[0] != '0' || !p[1] || p[1] == '.'), dots = 0;
	for (; ok && *p; p++)
		ok = (*p >= '0' && *p <= '9') || (*p == '.' && !dots++ && p[1]);
	json_t *v = ok ? json_string(s) : NULL;
	free(s);
	return v;
}

static json_t *
call_value(struct schema_ctx *c, TSNode call)
{
	char *path = pf_resolve(c->pass, pf_field(call, "function"));
	json_t *v = NULL;
	struct schema_class *cls = path ? pf_schema_class(c, path) : NULL;
	if (!path)
		return NULL;
	if (cls && cls->kind == SCHEMA_MODEL)
		v = pf_model_instance(c, cls, call);
	else if (!strcmp(path, "datetime.datetime"))
		v = datetime_value(c, call, 1, 1);
	else if (!strcmp(path, "datetime.date"))
		v = datetime_value(c, call, 1, 0);
	else if (!strcmp(path, "datetime.time"))
		v = datetime_value(c, call, 0, 1);
	else if (!strcmp(path, "datetime.timedelta"))
		v = timedelta_value(c, call);
	else if (!strcmp(path, "pathlib.Path"))
		v = path_value(c, call);
	else if (!strcmp(path, "uuid.UUID"))
		v = uuid_value(c, call);
	else if (!strcmp(path, "decimal.Decimal"))
		v = decimal_value(c, call);
	else if ((!strcmp(path, "list") || !strcmp(path, "dict") || !strcmp(path, "tuple") ||
		  !strcmp(path, "set") || !strcmp(path, "frozenset")) &&
		 !pf_count(pf_field(call, "arguments")))
		v = path[0] == 'd' ? json_object() : json_array();
	free(path);
	return v;
}

json_t *
pf_value(struct schema_ctx *c, TSNode n)
{
	char *s = NULL;
	if (pf_is(n, "parenthesized_expression"))
		return pf_value(c, pf_first_named(n));
	if (pf_is(n, "integer") || pf_is(n, "float"))
		return number(c->file, n, 0);
	if (pf_is(n, "unary_operator") && pf_text_eq(c->file, pf_field(n, "operator"), "-")) {
		TSNode arg = pf_field(n, "argument");
		return pf_is(arg, "integer") || pf_is(arg, "float") ? number(c->file, arg, 1) :
								      NULL;
	}
	if (pf_is(n, "true") || pf_is(n, "false"))
		return json_boolean(pf_is(n, "true"));
	if (pf_is(n, "none"))
		return json_null();
	if (pf_string_value(c->file, n, &s)) {
		json_t *v = json_string(s);
		free(s);
		return v;
	}
	if (pf_is(n, "list") || pf_is(n, "tuple"))
		return sequence(c, n);
	if (pf_is(n, "set"))
		return set_value(c, n);
	if (pf_is(n, "dictionary"))
		return dict_value(c, n);
	if (pf_is(n, "attribute"))
		return pf_enum_member(c, n);
	if (pf_is(n, "call"))
		return call_value(c, n);
	return NULL;
}
