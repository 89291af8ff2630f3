/*
 * The one helper every fire-time generator (gen_cron.c, gen_interval.c, gen_rrule.c)
 * hands its runs to: it keeps a run unless Prefect would take it for one it
 * already has (see gen.h).
 */
#include "sched/gen.h"

int
gen_offer(struct gen *g, int64_t at, int64_t key, unsigned flags)
{
	for (size_t i = 0; i < g->count; i++)
		if (g->keys[i] == key) {
			g->dropped++;
			return 1;
		}
	g->keys[g->count] = key;
	g->out[g->count].at = at;
	g->out[g->count].dst = flags;
	return ++g->count < g->n;
}
