/* A C host of swell: two members on 127.0.0.1, the second joining through the first.
 * Build against an installed swell:  cc consumer.c $(pkg-config --cflags --libs swell)
 * The test suite builds and runs this very file (tests/capi/install_test.py). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include "swell/swell.h"

/* Called on the agent's loop thread for every membership event: keep it quick. */
static void on_event(const swell_event* event, void* user_data) {
  if (event->kind == SWELL_EVENT_FAILED) {
    fprintf(stderr, "%s: %s failed\n", (const char*)user_data, event->member.id);
  }
}

/* Starts one member on 127.0.0.1 with a port the kernel picks; seed may be NULL. */
static swell_agent* start_member(const char* name, const char* seed) {
  swell_agent_options o;
  swell_agent_options_init(&o);
  o.generate_identity = 1;        /* a real host keeps its key: o.key_file = "/var/lib/swell/node.key" */
  o.preset = SWELL_PRESET_LOCAL;  /* one host; SWELL_PRESET_LAN on a network */
  o.id = name;
  o.address = "127.0.0.1:3000";   /* where this member serves its application */
  o.bind_address = "127.0.0.1:0";
  o.seeds = &seed;
  o.seed_count = seed != NULL ? 1 : 0;
  o.on_event = on_event;
  o.on_event_user_data = (void*)name;
  swell_agent* agent = NULL;
  swell_status status = swell_agent_start(&o, &agent);
  if (status != SWELL_OK) {
    fprintf(stderr, "%s: %s: %s\n", name, swell_strerror(status), swell_last_error_message());
    return NULL;
  }
  return agent;
}

/* Alive members in the agent's latest snapshot (lock-free; never blocks the agent). */
static size_t alive_members(const swell_agent* agent) {
  swell_snapshot* snap = swell_agent_snapshot(agent);
  size_t n = swell_snapshot_count(snap, SWELL_STATE_ALIVE);
  swell_snapshot_free(snap);
  return n;
}

/* Waits until both agents see want alive members, or gives up after limit_s seconds. */
static int wait_until_alive(const swell_agent* a, const swell_agent* b, size_t want, int limit_s) {
  struct timespec start, now, pause = {0, 5 * 1000 * 1000}; /* polling interval, not a decision */
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    if (alive_members(a) == want && alive_members(b) == want) return 1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= limit_s) return 0;
    nanosleep(&pause, NULL);
  }
}

/* Prints every member of the agent's view. */
static void print_members(const char* name, const swell_agent* agent) {
  swell_snapshot* snap = swell_agent_snapshot(agent);
  size_t i;
  for (i = 0; i < swell_snapshot_member_count(snap); ++i) {
    swell_member m; /* its strings stay valid until swell_snapshot_free */
    if (swell_snapshot_member(snap, i, &m) == SWELL_OK) {
      printf("%s sees %s %.8s %s swim=%s\n", name, m.id, m.node_id_hex,
             m.state == SWELL_STATE_ALIVE ? "alive" : "not-alive", m.swim_address);
    }
  }
  swell_snapshot_free(snap);
}

int main(void) {
  int ok;
  swell_agent* first = start_member("member-1", NULL);
  swell_agent* second = first != NULL ? start_member("member-2", swell_agent_address(first)) : NULL;
  if (second == NULL) {
    swell_agent_free(first);
    return 1;
  }
  ok = wait_until_alive(first, second, 2, 10);
  if (!ok) fprintf(stderr, "the members did not see each other within 10 s\n");
  print_members("member-1", first);
  print_members("member-2", second);
  /* A graceful leave: the others see it as left, not failed. */
  if (swell_agent_leave(second, 2000) != SWELL_OK) fprintf(stderr, "leave: %s\n", swell_last_error_message());
  swell_agent_free(second); /* stops it first */
  swell_agent_free(first);
  printf("%s\n", ok ? "consumer: ok" : "consumer: failed");
  return ok ? 0 : 1;
}
