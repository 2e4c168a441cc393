/*
 * lws-echo: the libwebsockets entry of wsbench (bench/cmd/wsbench).
 *
 *	lws-echo PORT [deflate]
 *
 * One lws context with one service thread listens on 127.0.0.1:PORT and
 * echoes every WebSocket message back as it came (text or binary, up to
 * 16 MiB). Messages are gathered into a per-connection buffer with
 * LWS_PRE bytes of headroom and written back whole from
 * LWS_CALLBACK_SERVER_WRITEABLE; while an echo is pending, rx flow control
 * holds further input back. With the "deflate" argument the vhost also
 * offers lws's built-in permessage-deflate.
 *
 * It speaks wsbench's control protocol (bench/internal/ctl) itself: it
 * prints "ready 127.0.0.1:PORT" on stdout once listening, then answers
 * "stats", "gc" (malloc_trim first) and "fds" on stdin with one JSON line
 * each, from a second thread, and exits when stdin closes. C has no
 * malloc counter, so "mallocs" is always 0 (wsbench prints n/a), and
 * heap/stack are 0. lws logs (errors and warnings only) go to stderr.
 */
#include <libwebsockets.h>

#include <dirent.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_MESSAGE (16u << 20)
#define RX_BUFFER 65536
/* A 64 KiB echo plus the largest server frame header in one send. */
#define TX_PACKET (RX_BUFFER + 14)

/* One WebSocket's state, lws's per-session data. */
struct session {
	unsigned char *buf; /* LWS_PRE headroom, then the message */
	size_t cap;         /* bytes after the headroom */
	size_t len;         /* message bytes gathered so far */
	int binary;
	int in_message; /* a message has started and not ended */
	int pending;    /* a whole message waits to be echoed */
};

static int gather(struct session *s, const void *in, size_t len)
{
	if (s->len + len > MAX_MESSAGE)
		return -1;
	if (s->len + len > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		while (cap < s->len + len)
			cap *= 2;
		if (cap > MAX_MESSAGE)
			cap = MAX_MESSAGE;
		unsigned char *b = realloc(s->buf, LWS_PRE + cap);
		if (!b)
			return -1;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + LWS_PRE + s->len, in, len);
	s->len += len;
	return 0;
}

static int echo_callback(struct lws *wsi, enum lws_callback_reasons reason,
			 void *user, void *in, size_t len)
{
	struct session *s = user;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(s, 0, sizeof(*s));
		break;

	case LWS_CALLBACK_RECEIVE:
		if (!s->in_message || lws_is_first_fragment(wsi)) {
			s->len = 0;
			s->binary = lws_frame_is_binary(wsi);
			s->in_message = 1;
		}
		if (gather(s, in, len))
			return -1; /* too big or out of memory: drop it */
		if (lws_is_final_fragment(wsi) &&
		    !lws_remaining_packet_payload(wsi)) {
			s->in_message = 0;
			s->pending = 1;
			lws_rx_flow_control(wsi, 0);
			lws_callback_on_writable(wsi);
		}
		break;

	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (!s->pending)
			break;
		if (lws_write(wsi, s->buf + LWS_PRE, s->len,
			      s->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) <
		    (int)s->len)
			return -1;
		s->pending = 0;
		s->len = 0;
		lws_rx_flow_control(wsi, 1);
		break;

	case LWS_CALLBACK_CLOSED:
	case LWS_CALLBACK_WSI_DESTROY:
		if (s) {
			free(s->buf);
			s->buf = NULL;
			s->cap = s->len = 0;
		}
		break;

	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	/* First, so it is also the default for any other subprotocol. */
	{
		.name = "echo",
		.callback = echo_callback,
		.per_session_data_size = sizeof(struct session),
		.rx_buffer_size = RX_BUFFER,
		.tx_packet_size = TX_PACKET,
	},
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static const struct lws_extension extensions[] = {
	{
		"permessage-deflate",
		lws_extension_callback_pm_deflate,
		"permessage-deflate; client_no_context_takeover; client_max_window_bits",
	},
	{ NULL, NULL, NULL }
};

/* ---- wsbench control channel ---- */

static long long ns(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000000LL + (long long)tv.tv_usec * 1000LL;
}

static long long rss_bytes(void)
{
	long long size = 0, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld %lld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory's own descriptor */
}

static void *control(void *arg)
{
	char line[64];
	(void)arg;
	while (fgets(line, sizeof(line), stdin)) {
		struct rusage ru;
		int with_fds = 0;
		line[strcspn(line, "\r\n")] = 0;
		if (!strcmp(line, "gc"))
			malloc_trim(0);
		else if (!strcmp(line, "fds"))
			with_fds = 1;
		else if (strcmp(line, "stats")) {
			printf("{\"error\":\"unknown command\"}\n");
			fflush(stdout);
			continue;
		}
		getrusage(RUSAGE_SELF, &ru);
		printf("{\"mallocs\":0,\"utime_ns\":%lld,\"stime_ns\":%lld,"
		       "\"rss_bytes\":%lld,\"heap_inuse\":0,\"stack_inuse\":0",
		       ns(ru.ru_utime), ns(ru.ru_stime), rss_bytes());
		if (with_fds)
			printf(",\"fds\":%d", open_fds());
		printf("}\n");
		fflush(stdout);
	}
	_exit(0); /* the harness closed our stdin or died */
	return NULL;
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	struct rlimit rl;
	pthread_t ctl;
	int port;

	if (argc < 2 || (port = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: lws-echo PORT [deflate]\n");
		return 2;
	}
	/* 19,000 idle connections: lws sizes its fd table from this limit. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);

	memset(&info, 0, sizeof(info));
	info.port = port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.count_threads = 1;
	info.fd_limit_per_thread = 0; /* the whole process limit */
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	if (argc > 2 && !strcmp(argv[2], "deflate"))
		info.extensions = extensions;

	ctx = lws_create_context(&info);
	if (!ctx) {
		fprintf(stderr, "lws-echo: lws_create_context failed\n");
		return 1;
	}
	printf("ready 127.0.0.1:%d\n", port);
	fflush(stdout);
	if (pthread_create(&ctl, NULL, control, NULL)) {
		fprintf(stderr, "lws-echo: cannot start the control thread\n");
		return 1;
	}
	for (;;)
		if (lws_service(ctx, 0) < 0)
			break;
	lws_context_destroy(ctx);
	return 1;
}
