/* Server health and version (see server.h). */
#include "api/server.h"

#include "core/xalloc.h"

int
prefect_server_check(struct api *api, char **version, struct error *err)
{
	json_t *v = NULL;
	*version = NULL;
	if (api_request(api, "GET", "/health", NULL, 0, NULL, &v, err) < 0)
		return -1;
	json_decref(v);
	v = NULL;
	if (api_request(api, "GET", "/admin/version", NULL, 0, NULL, &v, err) < 0) {
		/* no admin route (Prefect Cloud): the version is just not known */
		if (err->http_status != 404)
			return -1;
		error_clear(err);
		return 0;
	}
	if (json_is_string(v))
		*version = xstrdup(json_string_value(v));
	json_decref(v);
	return 0;
}
