/* JSON values as YAML through libyaml's emitter (see yaml_out.h). */
#include "ui/yaml_out.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/xalloc.h"
#include "ui/text.h"

struct yaml_out {
	yaml_emitter_t emitter;
	struct buf raw; /* what the emitter wrote and was not taken yet */
	int failed;     /* an event was refused: nothing more is emitted */
};

static int
write_raw(void *data, unsigned char *bytes, size_t size)
{
	struct yaml_out *y = data;
	buf_add(&y->raw, bytes, size);
	return 1;
}

/* Hand the event (initialised when ok) to the emitter, which owns it then. */
static void
emit(struct yaml_out *y, yaml_event_t *event, int ok)
{
	if (!ok) {
		y->failed = 1;
		return;
	}
	if (y->failed) {
		yaml_event_delete(event);
		return;
	}
	if (!yaml_emitter_emit(&y->emitter, event))
		y->failed = 1;
}

struct yaml_out *
yaml_out_new(void)
{
	struct yaml_out *y = xcalloc(1, sizeof(*y));
	yaml_event_t event;
	if (!yaml_emitter_initialize(&y->emitter))
		die_oom();
	buf_init(&y->raw, 0);
	yaml_emitter_set_output(&y->emitter, write_raw, y);
	yaml_emitter_set_unicode(&y->emitter, 1);
	yaml_emitter_set_width(&y->emitter, -1); /* no line is folded */
	emit(y, &event, yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING));
	emit(y, &event, yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1));
	return y;
}

void
yaml_out_open(struct yaml_out *y, int mapping)
{
	yaml_event_t event;
	int ok = mapping ? yaml_mapping_start_event_initialize(&event, NULL, NULL, 1,
							       YAML_BLOCK_MAPPING_STYLE) :
			   yaml_sequence_start_event_initialize(&event, NULL, NULL, 1,
								YAML_BLOCK_SEQUENCE_STYLE);
	emit(y, &event, ok);
}

void
yaml_out_close(struct yaml_out *y, int mapping)
{
	yaml_event_t event;
	int ok = mapping ? yaml_mapping_end_event_initialize(&event) :
			   yaml_sequence_end_event_initialize(&event);
	emit(y, &event, ok);
}

static void
scalar(struct yaml_out *y, const char *text, size_t len, yaml_scalar_style_t style)
{
	yaml_event_t event;
	if (len > INT_MAX) {
		y->failed = 1;
		return;
	}
	int ok = yaml_scalar_event_initialize(&event, NULL, NULL, (const yaml_char_t *)text,
					      (int)len, 1, 1, style);
	emit(y, &event, ok);
}

/* A plain scalar: a number, a boolean or null. */
static void
word(struct yaml_out *y, const char *text)
{
	scalar(y, text, strlen(text), YAML_PLAIN_SCALAR_STYLE);
}

/* A word a YAML 1.1 or 1.2 reader resolves to null or a boolean. */
static int
reserved_word(const char *s)
{
	static const char *const words[] = { "null", "true", "false", "yes", "no",
					     "on",   "off",  "y",     "n",   NULL };
	for (size_t i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return 1;
	return 0;
}

/* A letter or '_', then letters, digits and "_.-/", and not null or a boolean. */
static int
plain_word(const char *s, size_t len)
{
	if (!len || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '_' && c != '.' && c != '-' && c != '/')
			return 0;
	}
	return !reserved_word(s);
}

/* 8-4-4-4-12 hexadecimal digits: never a number, date or time to a reader. */
static int
uuid_text(const char *s, size_t len)
{
	if (len != 36)
		return 0;
	for (size_t i = 0; i < len; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static void
string(struct yaml_out *y, const char *s, size_t len)
{
	int plain = plain_word(s, len) || uuid_text(s, len);
	scalar(y, s, len, plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/*
 * The shortest of %.15g to %.17g that reads back as d, with a '.' (a YAML 1.1
 * float needs one, and its exponent a sign, which %g gives): 1e+20 is 1.0e+20.
 */
static void
real(struct yaml_out *y, double d)
{
	char text[48], *e;
	for (int precision = 15; precision <= 17; precision++) {
		snprintf(text, sizeof(text), "%.*g", precision, d);
		if (strtod(text, NULL) == d)
			break;
	}
	if (!strchr(text, '.')) {
		char exponent[40] = "";
		if ((e = strchr(text, 'e'))) {
			snprintf(exponent, sizeof(exponent), "%s", e);
			*e = '\0';
		}
		size_t len = strlen(text);
		snprintf(text + len, sizeof(text) - len, ".0%s", exponent);
	}
	word(y, text);
}

static void
integer(struct yaml_out *y, json_int_t n)
{
	char text[32];
	snprintf(text, sizeof(text), "%" JSON_INTEGER_FORMAT, n);
	word(y, text);
}

void
yaml_out_key(struct yaml_out *y, const char *key)
{
	string(y, key, strlen(key));
}

static void
container(struct yaml_out *y, const json_t *v)
{
	const char *key;
	const json_t *item;
	size_t i;
	int mapping = json_is_object(v);
	yaml_out_open(y, mapping);
	if (mapping) {
		json_object_foreach((json_t *)v, key, item) {
			yaml_out_key(y, key);
			yaml_out_value(y, item);
		}
	} else {
		json_array_foreach(v, i, item) {
			yaml_out_value(y, item);
		}
	}
	yaml_out_close(y, mapping);
}

void
yaml_out_value(struct yaml_out *y, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		container(y, v);
		break;
	case JSON_STRING:
		string(y, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		integer(y, json_integer_value(v));
		break;
	case JSON_REAL:
		real(y, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		word(y, json_is_null(v) ? "null" : json_is_true(v) ? "true" : "false");
		break;
	}
}

/*
 * Append text to out with every bidi control (text_bidi_control; libyaml
 * escapes DEL, C0 and C1 controls itself) as \uXXXX. Only double-quoted
 * scalars hold anything but ASCII (plain ones are words, the rest is
 * syntax), and there \uXXXX is the code point again to a reader.
 */
static void
escape_bidi(struct buf *out, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len, *run = p;
	for (; p < end; p++) {
		unsigned int cp;
		size_t n = *p < 0x80 ? 0 : text_bidi_control((const char *)p, &cp);
		if (!n)
			continue;
		buf_add(out, run, (size_t)(p - run));
		buf_addf(out, "\\u%04X", cp);
		p += n - 1;
		run = p + 1;
	}
	buf_add(out, run, (size_t)(p - run));
}

static int
failed(const struct yaml_out *y, struct error *err)
{
	const char *problem = y->emitter.problem ? y->emitter.problem : "a value cannot be written";
	return error_set(err, ERROR_INVALID, "cannot write YAML: %s", problem);
}

int
yaml_out_take(struct yaml_out *y, struct buf *out, struct error *err)
{
	if (y->failed || !yaml_emitter_flush(&y->emitter))
		return failed(y, err);
	escape_bidi(out, y->raw.data, y->raw.len);
	buf_reset(&y->raw);
	return 0;
}

int
yaml_out_end(struct yaml_out *y, struct buf *out, struct error *err)
{
	yaml_event_t event;
	emit(y, &event, yaml_document_end_event_initialize(&event, 1));
	emit(y, &event, yaml_stream_end_event_initialize(&event));
	int rc = yaml_out_take(y, out, err);
	yaml_out_free(y);
	return rc;
}

void
yaml_out_free(struct yaml_out *y)
{
	if (!y)
		return;
	yaml_emitter_delete(&y->emitter);
	buf_release(&y->raw);
	free(y);
}

int
yaml_out_document(struct buf *out, const json_t *doc, struct error *err)
{
	struct yaml_out *y = yaml_out_new();
	yaml_out_value(y, doc);
	return yaml_out_end(y, out, err);
}
