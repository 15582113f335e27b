/*
 * events - an event loop keyed by descriptor, timer key and signal
 * number, over libevent_core.  Call sites own no event objects: they ask
 * for "call me when fd is readable" and the module keeps the map.  Used
 * by event-loop daemons (master, qmgr, tlsmgr, tlsproxy, postlogd).
 *
 * Callbacks may enable, disable or re-arm anything, including their own
 * descriptor or timer, and may close their descriptor after
 * events_disable().  One loop per process; not thread-safe.
 */
#ifndef POSTERN_UTIL_EVENTS_H
#define POSTERN_UTIL_EVENTS_H

#include <stdbool.h>

/* The what argument of a callback. */
#define EVENTS_READ 1
#define EVENTS_WRITE 2
#define EVENTS_TIMER 4
#define EVENTS_SIGNAL 8

/*
 * A callback: fd_or_signo is the descriptor, the signal number, or -1 for
 * a timer; what is one EVENTS_* value.
 */
typedef void (*events_fn)(int fd_or_signo, int what, void *context);

/*
 * Calls callback whenever fd is readable (writable), until disabled.
 * Enabling again replaces the callback and context for that direction.
 */
void events_enable_read(int fd, events_fn callback, void *context);
void events_enable_write(int fd, events_fn callback, void *context);

/* Stops one direction, or both; no effect when not enabled. */
void events_disable_read(int fd);
void events_disable_write(int fd);
void events_disable(int fd);

/*
 * Calls callback once after delay_ms milliseconds.  A timer is keyed by
 * (callback, context): setting it again replaces the pending one.
 */
void events_timer_set(events_fn callback, void *context, int delay_ms);

/* Cancels the timer with that key; false when none was pending. */
bool events_timer_cancel(events_fn callback, void *context);

/*
 * Calls callback (outside signal context) when signo arrives, replacing
 * any earlier callback for signo; a NULL callback removes the handler.
 */
void events_signal(int signo, events_fn callback, void *context);

/* Runs callbacks until events_loop_exit() or until nothing is registered. */
void events_loop(void);

/*
 * Waits at most timeout_ms (negative: until something happens) and runs
 * the callbacks that became ready.
 */
void events_loop_once(int timeout_ms);

/* Makes events_loop() return after the current callback; call from a callback. */
void events_loop_exit(void);

#endif
