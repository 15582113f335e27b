/*
 * events - the fd-keyed face of libevent_core.  Each descriptor has a
 * slot holding up to two persistent libevent events (read, write) and
 * their callbacks; timers live in a list keyed by (callback, context);
 * signals in a table by number.  libevent calls small trampolines that
 * look the callback up at dispatch time, so a callback may replace or
 * free anything, itself included, and nothing is touched after it runs.
 */
#include <signal.h>
#include <stdlib.h>

#include <event2/event.h>

#include "util/alloc.h"
#include "util/events.h"
#include "util/msg.h"

struct events_fd {
	struct event *read_ev;
	struct event *write_ev;
	events_fn read_cb;
	events_fn write_cb;
	void *read_ctx;
	void *write_ctx;
};

struct events_timer {
	events_fn callback;
	void *context;
	struct event *ev;
	struct events_timer *next;
};

struct events_signal_slot {
	events_fn callback;
	void *context;
	struct event *ev;
};

static struct event_base *events_base;
static struct events_fd **events_fds; /* indexed by descriptor */
static size_t events_fd_count;
static struct events_timer *events_timers;
static struct events_signal_slot events_signals[NSIG];
static struct event *events_wakeup; /* bounds events_loop_once() */

static struct event_base *events_get_base(void)
{
	if (events_base == NULL && (events_base = event_base_new()) == NULL)
		msg_fatal("events: cannot create a libevent event base");
	return events_base;
}

/* The slot for fd, created on demand. */
static struct events_fd *events_slot(int fd)
{
	if (fd < 0)
		msg_panic("events: bad descriptor %d", fd);
	if ((size_t)fd >= events_fd_count) {
		size_t count = (size_t)fd + 16;

		events_fds = xreallocarray(events_fds, count, sizeof(*events_fds));
		for (size_t i = events_fd_count; i < count; i++)
			events_fds[i] = NULL;
		events_fd_count = count;
	}
	if (events_fds[fd] == NULL)
		events_fds[fd] = xcalloc(1, sizeof(**events_fds));
	return events_fds[fd];
}

static void events_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct events_fd *slot = arg;

	slot->read_cb((int)fd, EVENTS_READ, slot->read_ctx);
}

static void events_on_write(evutil_socket_t fd, short what, void *arg)
{
	struct events_fd *slot = arg;

	slot->write_cb((int)fd, EVENTS_WRITE, slot->write_ctx);
}

/* Replaces *ev with a new persistent event for fd and starts it. */
static void events_arm(struct event **ev, int fd, short what, event_callback_fn trampoline,
                       struct events_fd *slot)
{
	if (*ev != NULL)
		event_free(*ev);
	*ev = event_new(events_get_base(), fd, what | EV_PERSIST, trampoline, slot);
	if (*ev == NULL || event_add(*ev, NULL) != 0)
		msg_fatal("events: cannot watch descriptor %d", fd);
}

void events_enable_read(int fd, events_fn callback, void *context)
{
	struct events_fd *slot = events_slot(fd);

	slot->read_cb = callback;
	slot->read_ctx = context;
	events_arm(&slot->read_ev, fd, EV_READ, events_on_read, slot);
}

void events_enable_write(int fd, events_fn callback, void *context)
{
	struct events_fd *slot = events_slot(fd);

	slot->write_cb = callback;
	slot->write_ctx = context;
	events_arm(&slot->write_ev, fd, EV_WRITE, events_on_write, slot);
}

/* Drops the slot of fd once neither direction is watched. */
static void events_release_slot(int fd)
{
	struct events_fd *slot = events_fds[fd];

	if (slot->read_ev == NULL && slot->write_ev == NULL) {
		free(slot);
		events_fds[fd] = NULL;
	}
}

void events_disable_read(int fd)
{
	if (fd < 0 || (size_t)fd >= events_fd_count || events_fds[fd] == NULL)
		return;
	if (events_fds[fd]->read_ev != NULL) {
		event_free(events_fds[fd]->read_ev);
		events_fds[fd]->read_ev = NULL;
	}
	events_release_slot(fd);
}

void events_disable_write(int fd)
{
	if (fd < 0 || (size_t)fd >= events_fd_count || events_fds[fd] == NULL)
		return;
	if (events_fds[fd]->write_ev != NULL) {
		event_free(events_fds[fd]->write_ev);
		events_fds[fd]->write_ev = NULL;
	}
	events_release_slot(fd);
}

void events_disable(int fd)
{
	events_disable_read(fd);
	events_disable_write(fd);
}

/* Unlinks the timer with that key and returns it, or NULL. */
static struct events_timer *events_timer_take(events_fn callback, void *context)
{
	for (struct events_timer **link = &events_timers; *link != NULL; link = &(*link)->next) {
		struct events_timer *timer = *link;

		if (timer->callback == callback && timer->context == context) {
			*link = timer->next;
			return timer;
		}
	}
	return NULL;
}

static void events_timer_destroy(struct events_timer *timer)
{
	event_free(timer->ev);
	free(timer);
}

/* A timer is gone before its callback runs, so the callback may set it again. */
static void events_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct events_timer *timer = arg;
	events_fn callback = timer->callback;
	void *context = timer->context;

	events_timer_destroy(events_timer_take(callback, context));
	callback(-1, EVENTS_TIMER, context);
}

void events_timer_set(events_fn callback, void *context, int delay_ms)
{
	struct events_timer *timer = events_timer_take(callback, context);
	struct timeval tv;

	if (timer != NULL)
		events_timer_destroy(timer);
	if (delay_ms < 0)
		delay_ms = 0;
	tv.tv_sec = delay_ms / 1000;
	tv.tv_usec = (delay_ms % 1000) * 1000;
	timer = xmalloc(sizeof(*timer));
	timer->callback = callback;
	timer->context = context;
	timer->ev = evtimer_new(events_get_base(), events_on_timer, timer);
	if (timer->ev == NULL || evtimer_add(timer->ev, &tv) != 0)
		msg_fatal("events: cannot add a timer");
	timer->next = events_timers;
	events_timers = timer;
}

bool events_timer_cancel(events_fn callback, void *context)
{
	struct events_timer *timer = events_timer_take(callback, context);

	if (timer == NULL)
		return false;
	events_timer_destroy(timer);
	return true;
}

static void events_on_signal(evutil_socket_t signo, short what, void *arg)
{
	struct events_signal_slot *slot = arg;

	slot->callback((int)signo, EVENTS_SIGNAL, slot->context);
}

void events_signal(int signo, events_fn callback, void *context)
{
	struct events_signal_slot *slot;

	if (signo <= 0 || signo >= NSIG)
		msg_panic("events: bad signal number %d", signo);
	slot = &events_signals[signo];
	if (slot->ev != NULL) {
		event_free(slot->ev);
		slot->ev = NULL;
	}
	slot->callback = callback;
	slot->context = context;
	if (callback == NULL)
		return;
	slot->ev = evsignal_new(events_get_base(), signo, events_on_signal, slot);
	if (slot->ev == NULL || event_add(slot->ev, NULL) != 0)
		msg_fatal("events: cannot watch signal %d", signo);
}

void events_loop(void)
{
	if (event_base_dispatch(events_get_base()) < 0)
		msg_fatal("events: event loop failed");
}

/* The wake-up timer only has to end the wait. */
static void events_on_wakeup(evutil_socket_t fd, short what, void *arg)
{
}

void events_loop_once(int timeout_ms)
{
	struct event_base *base = events_get_base();
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	int flags = EVLOOP_ONCE;

	if (timeout_ms == 0) {
		flags = EVLOOP_NONBLOCK;
	} else if (timeout_ms > 0) {
		if (events_wakeup == NULL &&
		    (events_wakeup = evtimer_new(base, events_on_wakeup, NULL)) == NULL)
			msg_fatal("events: cannot create the wake-up timer");
		evtimer_add(events_wakeup, &tv);
	}
	if (event_base_loop(base, flags) < 0)
		msg_fatal("events: event loop failed");
	if (events_wakeup != NULL)
		evtimer_del(events_wakeup);
}

void events_loop_exit(void)
{
	event_base_loopbreak(events_get_base());
}
