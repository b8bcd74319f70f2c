// SPDX-License-Identifier: GPL-2.0
/*
 * The process tree and timeline builders (tree.c), their text rendering (tree_text.c) and the
 * HTML report (report.c), on small captures made here: records as the kernel lays them out,
 * through the process table as the pipeline applies them.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "records.h"

#include <errno.h>

#include "cli.h"
#include "container.h"
#include "event.h"
#include "proctab.h"
#include "report.h"
#include "rules.h"
#include "tree.h"

#define SEC 1000000000ULL

struct fixture {
	struct vg_tree *tree;
	struct vg_proctab *procs;
	struct vg_container c;
};

static void setup(struct fixture *f, const struct vg_tree_opts *opts)
{
	static const struct vg_tree_opts none;

	memset(f, 0, sizeof(*f));
	f->tree = vg_tree_new(opts ? opts : &none);
	f->procs = vg_proctab_new(0);
	ck_assert_ptr_nonnull(f->tree);
	ck_assert_ptr_nonnull(f->procs);
	snprintf(f->c.id, sizeof(f->c.id), "%s",
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	f->c.runtime = VG_RT_PODMAN;
	f->c.name = "web";
	f->c.image = "localhost/app:1";
	f->c.cgroup_id = REC_CGROUP_ID;
}

static void teardown(struct fixture *f)
{
	vg_tree_free(f->tree);
	vg_proctab_free(f->procs);
}

/* One record as the pipeline hands it on: decoded, applied to the process table, observed. */
static const struct vg_process *feed(struct fixture *f, void *buf, __u64 time_ns,
				     struct vg_event *ev)
{
	struct vigil_event_header *h = buf;
	const struct vg_process *p;

	h->time_ns = time_ns;
	h->flags |= VIGIL_F_CONTAINER;
	ck_assert_int_eq(vg_event_decode(buf, h->size, ev), 0);
	p = vg_proctab_apply(f->procs, ev);
	vg_tree_event(f->tree, ev, p, &f->c);
	return p;
}

static void exec_rec(struct fixture *f, __u32 pid, __u64 start, __u32 ppid, __u64 pstart,
		     const char *exe, const char *args, size_t args_len, __u64 t, __u32 flags)
{
	REC_BUF(buf);
	struct vg_event ev;
	struct vigil_exec *e = (void *)buf;

	rec_exec(buf, pid, start, exe, args, args_len);
	e->ppid = ppid;
	e->parent_start_time = pstart;
	e->euid = e->uid = 0;
	e->hdr.flags = flags;
	feed(f, buf, t, &ev);
}

static void fork_rec(struct fixture *f, __u32 ppid, __u64 pstart, __u32 pid, __u64 start, __u64 t)
{
	REC_BUF(buf);
	struct vg_event ev;

	rec_fork(buf, ppid, pstart, pid, start, pid);
	feed(f, buf, t, &ev);
}

static void exit_rec(struct fixture *f, __u32 pid, __u64 start, int code, __u64 t)
{
	REC_BUF(buf);
	struct vg_event ev;

	rec_exit(buf, pid, start, code);
	feed(f, buf, t, &ev);
}

static struct vg_tree_proc *find(struct vg_tree *t, __u32 pid, __u64 start)
{
	for (size_t i = 0; i < t->n_procs; i++)
		if (t->procs[i]->pid == pid && t->procs[i]->start_time == start)
			return t->procs[i];
	return NULL;
}

START_TEST(fork_exec_exit_build_the_tree_in_start_order)
{
	struct fixture f;
	struct vg_tree_proc *sh, *a, *b;
	char buf[32];

	setup(&f, NULL);
	exec_rec(&f, 100, 1000, 50, 500, "/bin/sh", "sh\0-c\0x", 8, 1 * SEC, 0);
	fork_rec(&f, 100, 1000, 101, 2000, 2 * SEC);
	exec_rec(&f, 101, 2000, 100, 1000, "/bin/chown", "chown\0" "1000\0/etc/x", 17, 3 * SEC,
		 0);
	fork_rec(&f, 100, 1000, 102, 3000, 4 * SEC);
	exec_rec(&f, 102, 3000, 100, 1000, "/bin/touch", "touch\0/x", 8, 5 * SEC, 0);
	exit_rec(&f, 101, 2000, 1 << 8, 6 * SEC);
	exit_rec(&f, 102, 3000, 9, 6 * SEC);
	vg_tree_finish(f.tree);

	ck_assert_uint_eq(f.tree->n_containers, 1);
	sh = find(f.tree, 100, 1000);
	a = find(f.tree, 101, 2000);
	b = find(f.tree, 102, 3000);
	ck_assert_ptr_nonnull(sh);
	/* the parent (ppid 50) is outside what was seen: a root */
	ck_assert_ptr_eq(f.tree->containers->roots, sh);
	ck_assert_ptr_null(sh->next_sibling);
	ck_assert_ptr_eq(sh->children, a);
	ck_assert_ptr_eq(a->next_sibling, b);
	ck_assert_ptr_eq(a->parent, sh);
	ck_assert_str_eq(vg_tree_proc_exe(a), "/bin/chown");
	ck_assert_str_eq(a->args, "chown 1000 /etc/x");
	ck_assert_uint_eq(a->n_exe, 1); /* the inherited /bin/sh was replaced by its exec */
	ck_assert_str_eq(vg_tree_exit_str(a, buf, sizeof(buf)), "exit 1");
	ck_assert_str_eq(vg_tree_exit_str(b, buf, sizeof(buf)), "signal 9");
	ck_assert_str_eq(vg_tree_exit_str(sh, buf, sizeof(buf)), "running");
	ck_assert_uint_eq(a->first_ns, 2 * SEC); /* its fork, not its exec */
	ck_assert(sh->shown && a->shown && b->shown);
	teardown(&f);
}
END_TEST

START_TEST(a_reused_pid_is_another_process)
{
	struct fixture f;
	struct vg_tree_proc *old, *new;

	setup(&f, NULL);
	exec_rec(&f, 100, 1000, 1, 10, "/bin/sh", "sh", 3, 1 * SEC, 0);
	fork_rec(&f, 100, 1000, 200, 2000, 2 * SEC);
	exec_rec(&f, 200, 2000, 100, 1000, "/bin/old", "old", 4, 2 * SEC, 0);
	exit_rec(&f, 200, 2000, 0, 3 * SEC);
	fork_rec(&f, 100, 1000, 200, 9000, 4 * SEC);
	exec_rec(&f, 200, 9000, 100, 1000, "/bin/new", "new", 4, 5 * SEC, 0);
	vg_tree_finish(f.tree);

	old = find(f.tree, 200, 2000);
	new = find(f.tree, 200, 9000);
	ck_assert_ptr_nonnull(old);
	ck_assert_ptr_nonnull(new);
	ck_assert_ptr_ne(old, new);
	ck_assert_str_eq(vg_tree_proc_exe(old), "/bin/old");
	ck_assert_str_eq(vg_tree_proc_exe(new), "/bin/new");
	ck_assert(old->exited && !new->exited);
	ck_assert_ptr_eq(old->next_sibling, new);
	teardown(&f);
}
END_TEST

START_TEST(processes_from_before_the_capture)
{
	struct fixture f;
	struct vg_tree_proc *init, *child, *ghost;
	REC_BUF(buf);
	struct vg_event ev;
	char when[32];

	setup(&f, NULL);
	/* the start-up walk's snapshot of a running init, then its child, in that order */
	exec_rec(&f, 300, 700, 1, 10, "/sbin/init", "init", 5, 1 * SEC, VIGIL_F_SNAPSHOT);
	fork_rec(&f, 300, 700, 301, 2000, 2 * SEC);
	/* a write by a process never introduced (no exec, no fork, no snapshot) */
	rec_write(buf, 999, VIGIL_WRITE_OPEN, "/etc/shadow", NULL, 1, VIGIL_ROOTFS_YES);
	feed(&f, buf, 3 * SEC, &ev);
	vg_tree_finish(f.tree);

	init = find(f.tree, 300, 700);
	child = find(f.tree, 301, 2000);
	ghost = find(f.tree, 999, 0);
	ck_assert(init->snapshot);
	ck_assert_str_eq(vg_tree_start_str(init, SEC, when, sizeof(when)), "before capture");
	ck_assert_uint_eq(init->execs, 0); /* a snapshot is no exec */
	ck_assert_ptr_eq(child->parent, init);
	ck_assert_ptr_nonnull(ghost);
	ck_assert(ghost->unknown_start && ghost->shown);
	ck_assert_uint_eq(ghost->n_items, 1);
	ck_assert_str_eq(ghost->items[0]->text, "open /etc/shadow");
	teardown(&f);
}
END_TEST

/* io_uring instances and io_uring writes are listed under their process like other activity:
 * a link by its resolved names, the instance by its size and SQPOLL, counted not repeated. */
START_TEST(io_uring_and_links_are_items)
{
	struct fixture f;
	struct vg_tree_proc *p;
	REC_BUF(buf);
	struct vg_event ev;

	setup(&f, NULL);
	exec_rec(&f, 700, 1000, 1, 10, "/bin/app", "app", 4, 1 * SEC, 0);
	rec_io_uring(buf, 700, 4, 64, VG_IORING_SETUP_SQPOLL);
	feed(&f, buf, 2 * SEC, &ev);
	rec_io_uring(buf, 700, 5, 64, VG_IORING_SETUP_SQPOLL);
	feed(&f, buf, 3 * SEC, &ev);
	rec_write(buf, 700, VIGIL_WRITE_LINK, "pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/pw");
	((struct vigil_write *)buf)->hdr.flags |= VIGIL_F_IO_URING;
	feed(&f, buf, 4 * SEC, &ev);
	vg_tree_finish(f.tree);

	p = find(f.tree, 700, 1000);
	ck_assert_uint_eq(p->n_items, 2);
	ck_assert_str_eq(p->items[0]->text, "io_uring create, 64 entries, SQPOLL");
	ck_assert_uint_eq(p->items[0]->count, 2);
	ck_assert_str_eq(p->items[1]->text, "link /tmp/pw -> /etc/passwd (io_uring)");
	ck_assert(vg_tree_type_has_items(VIGIL_EVENT_IO_URING));
	ck_assert(!vg_tree_type_has_items(VIGIL_EVENT_FORK));
	teardown(&f);
}
END_TEST

START_TEST(an_exit_without_exec_keeps_what_it_was_forked_as)
{
	struct fixture f;
	struct vg_tree_proc *child;

	setup(&f, NULL);
	exec_rec(&f, 400, 1000, 1, 10, "/bin/sh", "sh\0-c\0loop", 11, 1 * SEC, 0);
	fork_rec(&f, 400, 1000, 401, 2000, 2 * SEC);
	exit_rec(&f, 401, 2000, 0, 3 * SEC);
	vg_tree_finish(f.tree);

	child = find(f.tree, 401, 2000);
	ck_assert_str_eq(vg_tree_proc_exe(child), "/bin/sh");
	ck_assert_str_eq(child->args, "sh -c loop");
	ck_assert_uint_eq(child->execs, 0);
	ck_assert(child->forked && child->exited);
	teardown(&f);
}
END_TEST

START_TEST(pid_selects_ancestors_and_descendants_only)
{
	struct vg_tree_opts opts = { .pid = 501 };
	struct fixture f;

	setup(&f, &opts);
	exec_rec(&f, 500, 1000, 1, 10, "/bin/sh", "sh", 3, 1 * SEC, 0);
	fork_rec(&f, 500, 1000, 501, 2000, 2 * SEC);
	fork_rec(&f, 501, 2000, 503, 4000, 3 * SEC);
	fork_rec(&f, 500, 1000, 502, 3000, 3 * SEC);
	vg_tree_finish(f.tree);

	ck_assert(find(f.tree, 500, 1000)->shown); /* ancestor */
	ck_assert(find(f.tree, 501, 2000)->shown);
	ck_assert(find(f.tree, 503, 4000)->shown); /* descendant */
	ck_assert(!find(f.tree, 502, 3000)->shown); /* sibling */
	teardown(&f);
}
END_TEST

START_TEST(alerts_hang_under_their_process_and_count_up)
{
	struct fixture f;
	struct vg_alert a = { .rule = "container_rootfs_write", .severity = VG_SEV_MEDIUM };
	const struct vg_process *p;
	struct vg_tree_proc *sh, *w;
	struct vg_event ev;
	REC_BUF(buf);

	setup(&f, NULL);
	exec_rec(&f, 600, 1000, 1, 10, "/bin/sh", "sh", 3, 1 * SEC, 0);
	fork_rec(&f, 600, 1000, 601, 2000, 2 * SEC);
	rec_write(buf, 601, VIGIL_WRITE_OPEN, "/etc/x", NULL, 1, VIGIL_ROOTFS_YES);
	p = feed(&f, buf, 3 * SEC, &ev);
	snprintf(a.key, sizeof(a.key), "/etc/x");
	snprintf(a.message, sizeof(a.message), "wrote /etc/x");
	vg_tree_alert(f.tree, &a, &ev, p, &f.c);
	vg_tree_add_repeats(f.tree, a.rule, f.c.id, "/etc/x", 4);
	vg_tree_finish(f.tree);

	sh = find(f.tree, 600, 1000);
	w = find(f.tree, 601, 2000);
	ck_assert_ptr_nonnull(w->alerts);
	ck_assert_ptr_eq(w->alerts->proc, w);
	ck_assert_uint_eq(w->alerts->repeats, 4);
	ck_assert_ptr_nonnull(strstr(w->alerts->event_json, "\"/etc/x\""));
	ck_assert_uint_eq(w->n_alerts, 1);
	ck_assert_uint_eq(sh->n_alerts, 1); /* the chain to it says so */
	ck_assert_ptr_null(sh->alerts);
	ck_assert_uint_eq(f.tree->containers->rules[0].by_severity[VG_SEV_MEDIUM], 1);
	{
		/* colour where asked (a terminal): the alert line in the medium severity's */
		char *out = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);

		vg_tree_print_text(f.tree, m, 80, true);
		fclose(m);
		ck_assert_ptr_nonnull(strstr(out, "\033[33mALERT medium container_rootfs_write"));
		ck_assert_msg(strstr(out, "(and 4"), "%s", out); /* wrapped after, at 80 columns */
		free(out);
	}
	teardown(&f);
}
END_TEST

START_TEST(newer_event_types_are_counted_not_refused)
{
	struct fixture f;
	_Alignas(8) unsigned char buf[64] = {};
	struct vigil_event_header *h = (void *)buf;
	struct vg_event ev = { .hdr = h, .raw = buf };

	setup(&f, NULL);
	exec_rec(&f, 700, 1000, 1, 10, "/bin/sh", "sh", 3, 1 * SEC, 0);
	h->type = VIGIL_EVENT_TYPE_MAX + 3; /* a type this build does not know */
	h->size = sizeof(buf);
	h->pid = 700;
	h->time_ns = 2 * SEC;
	vg_tree_event(f.tree, &ev, vg_proctab_get(f.procs, 700), &f.c);
	vg_tree_finish(f.tree);
	ck_assert_uint_eq(find(f.tree, 700, 1000)->counts[0], 1);
	ck_assert_uint_eq(f.tree->containers->events, 2);
	teardown(&f);
}
END_TEST

START_TEST(timeline_buckets_widen_and_keep_every_event)
{
	struct fixture f;
	const struct vg_tree_container *c;
	__u64 total = 0;

	setup(&f, NULL);
	exec_rec(&f, 800, 1000, 1, 10, "/bin/sh", "sh", 3, 100 * SEC, 0);
	for (int i = 1; i <= 50; i++)
		fork_rec(&f, 800, 1000, 800 + i, 1000 + i, 100 * SEC + i * 7 * SEC);
	vg_tree_finish(f.tree);
	c = f.tree->containers;
	ck_assert_uint_le(c->n_buckets, VG_TREE_BUCKETS_MAX);
	ck_assert_uint_gt(c->bucket_ns, 10000000ULL); /* 350 s did not fit in 10 ms buckets */
	for (size_t i = 0; i < c->n_buckets * VG_TREE_TYPES; i++)
		total += c->buckets[i];
	ck_assert_uint_eq(total, 51);
	ck_assert_uint_eq(c->counts[VIGIL_EVENT_FORK], 50);
	teardown(&f);
}
END_TEST

START_TEST(identical_leaves_fold_and_text_fits_80_columns)
{
	struct fixture f;
	char *out = NULL, *line;
	size_t len = 0;
	FILE *m;
	char args[600];

	setup(&f, NULL);
	memset(args, 'a', sizeof(args));
	memcpy(args, "sh\0-c\0", 6);
	args[sizeof(args) - 1] = 0;
	exec_rec(&f, 900, 1000, 1, 10, "/bin/sh", args, sizeof(args), 1 * SEC, 0);
	for (int i = 1; i <= 5; i++) {
		fork_rec(&f, 900, 1000, 900 + i, 1000 + i, 2 * SEC);
		exec_rec(&f, 900 + i, 1000 + i, 900, 1000, "/bin/sleep", "sleep\0" "1", 8, 2 * SEC,
			 0);
	}
	vg_tree_finish(f.tree);
	ck_assert_uint_eq(find(f.tree, 901, 1001)->folded, 4);
	ck_assert(find(f.tree, 905, 1005)->fold_hidden);

	m = open_memstream(&out, &len);
	vg_tree_print_text(f.tree, m, 80, false);
	fclose(m);
	ck_assert_ptr_nonnull(strstr(out, "/bin/sleep 1"));
	ck_assert_ptr_nonnull(strstr(out, "(x5)"));
	ck_assert_ptr_null(strstr(out, "905["));
	ck_assert_ptr_null(strchr(out, '\033'));
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		ck_assert_msg(strlen(line) <= 80, "too wide: %s", line);
	free(out);
	teardown(&f);
}
END_TEST

START_TEST(report_escapes_what_the_capture_says)
{
	struct fixture f;
	struct vg_report_meta meta = { .file = "x<b>.vcap" };
	struct vg_alert a = { .rule = "container_root_exec", .severity = VG_SEV_HIGH };
	const char *evil = "/bin/\"><script>alert(1)</script>";
	const struct vg_process *p;
	struct vg_event ev;
	char *out = NULL;
	size_t len = 0;
	REC_BUF(buf);
	FILE *m;

	setup(&f, NULL);
	f.c.name = "<script>alert(2)</script>";
	snprintf(f.c.id, sizeof(f.c.id), "%s", "\"><script>alert(4)</script>");
	f.c.image = "img' onload='x";
	static const char args[] = "x\0<img src=x onerror=alert(3)>\0\x01\xff";

	rec_exec(buf, 950, 1000, evil, args, sizeof(args));
	p = feed(&f, buf, 1 * SEC, &ev);
	snprintf(a.message, sizeof(a.message), "ran %s", evil);
	vg_tree_alert(f.tree, &a, &ev, p, &f.c);
	vg_tree_finish(f.tree);

	m = open_memstream(&out, &len);
	ck_assert_int_eq(vg_report_write_html(f.tree, &meta, m), 0);
	fclose(m);
	/* the report's own script element, and no other */
	ck_assert_ptr_nonnull(strstr(out, "<script>"));
	ck_assert_ptr_null(strstr(strstr(out, "<script>") + 1, "<script"));
	ck_assert_ptr_null(strstr(out, "<script>alert"));
	ck_assert_ptr_null(strstr(out, "<img src=x"));
	ck_assert_ptr_null(strstr(out, "' onload"));
	ck_assert_ptr_null(strstr(out, "x<b>"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;alert(2)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(out, "&lt;img src=x onerror=alert(3)&gt;"));
	ck_assert_ptr_nonnull(strstr(out, "data-c=\"&quot;&gt;&lt;script&gt;alert(4)"));
	ck_assert_ptr_nonnull(strstr(out, "\\x01")); /* a control character shown, not sent */
	ck_assert_ptr_nonnull(strstr(out, "\xef\xbf\xbd")); /* invalid UTF-8 replaced */
	ck_assert_ptr_nonnull(strstr(out, "default-src 'none'"));
	ck_assert_ptr_nonnull(strstr(out, "data-rule=\"container_root_exec\""));
	free(out);
	teardown(&f);
}
END_TEST

/* Renders t both ways into memory; returns the bytes written in all. */
static size_t render_both(struct vg_tree *t)
{
	struct vg_report_meta meta = { .file = "x.vcap" };
	char *out = NULL;
	size_t len = 0, total;
	FILE *m = open_memstream(&out, &len);

	vg_tree_print_text(t, m, 80, false);
	ck_assert_int_eq(vg_report_write_html(t, &meta, m), 0);
	fclose(m);
	total = len;
	free(out);
	return total;
}

START_TEST(hostile_parent_links_make_no_cycle)
{
	struct fixture f;
	struct vg_tree_proc *a, *b;

	setup(&f, NULL);
	/* each names the other as its parent; a third names itself */
	exec_rec(&f, 1, 100, 2, 200, "/bin/a", "a", 2, 1 * SEC, 0);
	exec_rec(&f, 2, 200, 1, 100, "/bin/b", "b", 2, 1 * SEC, 0);
	exec_rec(&f, 3, 300, 3, 300, "/bin/c", "c", 2, 1 * SEC, 0);
	vg_tree_finish(f.tree);
	a = find(f.tree, 1, 100);
	b = find(f.tree, 2, 200);
	ck_assert_ptr_null(a->parent); /* the earlier start is the root */
	ck_assert_ptr_eq(b->parent, a);
	ck_assert_ptr_null(find(f.tree, 3, 300)->parent);
	ck_assert_uint_gt(render_both(f.tree), 0);
	teardown(&f);
}
END_TEST

START_TEST(random_histories_render_within_bounds)
{
	struct fixture f;
	unsigned int seed = 16;

	setup(&f, NULL);
	exec_rec(&f, 10, 10, 1, 1, "/bin/init", "init", 5, 1 * SEC, 0);
	for (int i = 0; i < 5000; i++) {
		/* few pids, so they are reused, parents vanish and exits come without a fork */
		__u32 pid = 10 + rand_r(&seed) % 40, parent = 10 + rand_r(&seed) % 40;
		__u64 start = 10 + rand_r(&seed) % 200, t = (1 + i / 100) * SEC + i;
		REC_BUF(buf);
		struct vg_event ev;

		switch (rand_r(&seed) % 4) {
		case 0:
			fork_rec(&f, parent, 10 + rand_r(&seed) % 200, pid, start, t);
			break;
		case 1:
			exec_rec(&f, pid, start, parent, 10 + rand_r(&seed) % 200, "/bin/x",
				 "x\0-y", 5, t, 0);
			break;
		case 2:
			exit_rec(&f, pid, start, rand_r(&seed) % 512, t);
			break;
		default:
			rec_write(buf, pid, VIGIL_WRITE_OPEN, "/etc/y", NULL, 1, VIGIL_ROOTFS_YES);
			feed(&f, buf, t, &ev);
		}
	}
	vg_tree_finish(f.tree);
	for (size_t i = 0; i < f.tree->n_procs; i++) {
		size_t depth = 0;

		for (const struct vg_tree_proc *q = f.tree->procs[i]; q; q = q->parent)
			ck_assert_uint_le(++depth, f.tree->n_procs);
	}
	ck_assert_uint_lt(render_both(f.tree), VG_REPORT_BYTES_MAX + (1u << 20));
	teardown(&f);
}
END_TEST

START_TEST(pid_option_takes_process_ids_only)
{
	__u32 pid = 0;

	ck_assert_int_eq(vg_parse_pid("4121", &pid), 0);
	ck_assert_uint_eq(pid, 4121);
	ck_assert_int_eq(vg_parse_pid("0", &pid), -EINVAL);
	ck_assert_int_eq(vg_parse_pid("-1", &pid), -EINVAL);
	ck_assert_int_eq(vg_parse_pid("12x", &pid), -EINVAL);
	ck_assert_int_eq(vg_parse_pid("", &pid), -EINVAL);
	ck_assert_int_eq(vg_parse_pid("99999999999", &pid), -EINVAL);
}
END_TEST

static Suite *tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("builders");

	tcase_add_test(tc, fork_exec_exit_build_the_tree_in_start_order);
	tcase_add_test(tc, a_reused_pid_is_another_process);
	tcase_add_test(tc, processes_from_before_the_capture);
	tcase_add_test(tc, io_uring_and_links_are_items);
	tcase_add_test(tc, an_exit_without_exec_keeps_what_it_was_forked_as);
	tcase_add_test(tc, pid_selects_ancestors_and_descendants_only);
	tcase_add_test(tc, alerts_hang_under_their_process_and_count_up);
	tcase_add_test(tc, newer_event_types_are_counted_not_refused);
	tcase_add_test(tc, timeline_buckets_widen_and_keep_every_event);
	tcase_add_test(tc, identical_leaves_fold_and_text_fits_80_columns);
	tcase_add_test(tc, report_escapes_what_the_capture_says);
	tcase_add_test(tc, pid_option_takes_process_ids_only);
	tcase_add_test(tc, hostile_parent_links_make_no_cycle);
	tcase_add_test(tc, random_histories_render_within_bounds);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(tree_suite)
