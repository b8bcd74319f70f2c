// SPDX-License-Identifier: GPL-2.0
/* Which hooks this kernel allows, checked before load, and what that leaves unmonitored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "hooks.h"

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

#define IN(name, ...)                                                                              \
	in_list(name, (const char *const[]){ __VA_ARGS__ },                                        \
		sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

const char *vg_hook_behaviour(const char *hook)
{
	size_t len = strlen(hook);

	if (!strcmp(hook, "sched_process_exec"))
		return "exec";
	if (!strcmp(hook, "sched_process_fork"))
		return "fork";
	if (!strcmp(hook, "sched_process_exit"))
		return "exit";
	if (!strcmp(hook, "cap_capable"))
		return "capability use";
	if (!strncmp(hook, "set", 3) && len > 4 && !strcmp(hook + len - 2, "id"))
		return "setuid/setgid";
	if (IN(hook, "mount", "move_mount", "open_tree", "fsmount", "fsconfig", "fsopen",
	       "mount_setattr"))
		return "mount";
	if (IN(hook, "connect", "sendto", "sendmsg", "sendmmsg", "inet_sock_set_state"))
		return "connect";
	if (IN(hook, "open", "openat", "openat2", "creat", "unlink", "unlinkat", "rename",
	       "renameat", "renameat2", "mkdir", "mkdirat", "link", "linkat", "symlink",
	       "symlinkat"))
		return "file writes";
	if (!strncmp(hook, "io_uring_", 9))
		return "io_uring";
	if (!strncmp(hook, "cgroup_", 7))
		return "container attribution";
	if (!strcmp(hook, "sys_enter"))
		return "system call sets (--syscalls)";
	return "other hooks";
}

static struct vg_behaviour_cover *cover_of(struct vg_coverage *cov, const char *hook)
{
	const char *behaviour = vg_hook_behaviour(hook);

	for (unsigned int i = 0; i < cov->n; i++)
		if (!strcmp(cov->b[i].behaviour, behaviour))
			return &cov->b[i];
	if (cov->n >= VG_COVERAGE_MAX)
		return &cov->b[VG_COVERAGE_MAX - 1]; /* more behaviours than known: the last */
	cov->b[cov->n].behaviour = behaviour;
	return &cov->b[cov->n++];
}

static void add_gap(struct vg_behaviour_cover *b, const char *hook, const char *why)
{
	size_t used = strlen(b->gaps);
	char gap[VG_GAP_TEXT_MAX];

	b->missing++;
	snprintf(gap, sizeof(gap), "%s: %s", hook, why ? why : "no tracepoint");
	if (strstr(b->gaps, gap))
		return; /* a call's entry and exit: named once */
	snprintf(b->gaps + used, sizeof(b->gaps) - used, "%s%s", used ? ", " : "", gap);
}

void vg_coverage_hook(struct vg_coverage *cov, const char *hook, bool present, const char *why)
{
	struct vg_behaviour_cover *b = cover_of(cov, hook);

	b->hooks++;
	if (!present)
		add_gap(b, hook, why);
}

void vg_coverage_text(const struct vg_coverage *cov, char *out, size_t len)
{
	size_t used = 0;

	if (!len)
		return;
	out[0] = 0;
	/* what is not monitored at all first, then what is in part */
	for (int whole = 1; whole >= 0; whole--) {
		bool first_partial = true;

		for (unsigned int i = 0; i < cov->n; i++) {
			const struct vg_behaviour_cover *b = &cov->b[i];

			if (!b->missing || (b->missing >= b->hooks) != whole)
				continue;
			used += snprintf(out + used, used < len ? len - used : 0, "%s%s%s (%s)",
					 used ? "; " : "", !whole && first_partial ? "partly: " : "",
					 b->behaviour, b->gaps);
			if (!whole)
				first_partial = false;
			if (used >= len)
				return;
		}
	}
}

/* "tp/syscalls/sys_exit_openat" -> "openat", "tp_btf/cap_capable" -> "cap_capable" */
static const char *hook_of_section(const char *sec, char *category, size_t catlen)
{
	const char *slash = strchr(sec, '/'), *name;

	category[0] = 0;
	if (!slash)
		return sec;
	name = slash + 1;
	if (!strncmp(sec, "tp/", 3)) {
		slash = strchr(name, '/');
		if (!slash)
			return name;
		snprintf(category, catlen, "%.*s", (int)(slash - name), name);
		name = slash + 1;
		if (!strcmp(category, "syscalls") && !strncmp(name, "sys_e", 5) &&
		    strchr(name + 4, '_'))
			name = strchr(name + 4, '_') + 1;
	}
	return name;
}

static bool hook_required(const char *hook)
{
	return IN(hook, "sched_process_exec", "sched_process_fork", "sched_process_exit",
		  "cgroup_mkdir", "cgroup_rmdir");
}

static bool tracefs_has(const char *tracefs, const char *category, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/events/%s%s%s", tracefs, category, name ? "/" : "",
		 name ? name : "");
	return !access(path, F_OK);
}

static bool btf_has_tracepoint(const struct btf *vmlinux, const char *name)
{
	char type[128];

	snprintf(type, sizeof(type), "btf_trace_%s", name);
	return btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) > 0;
}

/*
 * A tracepoint renamed across kernel versions: where the hook is missing and its other name
 * is there, the program is left out and nothing is missing.
 */
static const char *hook_other_name(const char *hook)
{
	static const char *const pairs[][2] = {
		{ "io_uring_submit_sqe", "io_uring_submit_req" }, /* renamed in 6.3 */
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (!strcmp(hook, pairs[i][0]))
			return pairs[i][1];
		if (!strcmp(hook, pairs[i][1]))
			return pairs[i][0];
	}
	return NULL;
}

static bool is_capability_prog(const char *sec)
{
	const char *slash = strrchr(sec, '/');

	return slash && !strcmp(slash + 1, "cap_capable");
}

int vg_hooks_check(struct bpf_object *obj, const struct btf *vmlinux, const char *tracefs,
		   struct vg_coverage *cov, char *err, size_t errlen)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
	{
		const char *sec = bpf_program__section_name(prog), *hook;
		char category[64];
		bool exists;

		if (is_capability_prog(sec))
			continue; /* vg_hooks_pick_capability */
		hook = hook_of_section(sec, category, sizeof(category));
		if (!strncmp(sec, "tp_btf/", 7)) {
			exists = btf_has_tracepoint(vmlinux, hook);
			if (!exists && hook_other_name(hook) &&
			    btf_has_tracepoint(vmlinux, hook_other_name(hook))) {
				bpf_program__set_autoload(prog, false);
				continue;
			}
		} else if (!strncmp(sec, "tp/", 3)) {
			exists = tracefs_has(tracefs, category, strrchr(sec, '/') + 1);
			/* the kernel has no such system call: nothing can happen through it */
			if (!exists && !strcmp(category, "syscalls") &&
			    tracefs_has(tracefs, "syscalls", NULL)) {
				bpf_program__set_autoload(prog, false);
				continue;
			}
		} else {
			continue; /* raw_tp/sys_enter is in every kernel; iterators are not attached */
		}
		if (!exists && hook_required(hook)) {
			snprintf(err, errlen,
				 "tracepoint %s is missing: vigil needs a kernel with it (5.8 or later, "
				 "CONFIG_FTRACE_SYSCALLS=y)",
				 sec + (sec[2] == '/' ? 3 : 7));
			return -ENOENT;
		}
		if (!bpf_program__autoload(prog))
			continue; /* left out on purpose (--syscalls not asked for ...) */
		vg_coverage_hook(cov, hook, exists, NULL);
		if (!exists)
			bpf_program__set_autoload(prog, false);
	}
	return 0;
}

/* A tracing program of nothing at all, loaded for fexit on func and attached a moment. */
static int probe_fexit(const struct btf *vmlinux, const char *func)
{
	struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FEXIT);
	int id = btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC), fd, link, rc = 0;

	if (id <= 0)
		return -ENOENT;
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "vigil_probe", "GPL", ret0, 2, &opts);
	if (fd < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0)
		rc = -errno;
	else
		close(link);
	close(fd);
	return rc;
}

/* kprobes through the perf PMU or tracefs (libbpf uses either), and the program type */
static bool kprobes_available(void)
{
	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) &&
	    access("/sys/kernel/tracing/kprobe_events", F_OK) &&
	    access("/sys/kernel/debug/tracing/kprobe_events", F_OK))
		return false;
	return libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, NULL) == 1;
}

static void set_autoload(struct bpf_object *obj, const char *name, bool on)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);

	if (prog)
		bpf_program__set_autoload(prog, on);
}

const char *vg_hooks_pick_capability(struct bpf_object *obj, const struct btf *vmlinux,
				     struct vg_coverage *cov)
{
	/* VIGIL_CAP_HOOK=tracepoint|fexit|kprobe: that one or none (the tests' way to each) */
	const char *only = getenv("VIGIL_CAP_HOOK");
	bool tracepoint = false, fexit = false, kprobe = false;
	char why[VG_GAP_TEXT_MAX];
	int rc = -ENOENT;

	if ((!only || !strcmp(only, "tracepoint")) && btf_has_tracepoint(vmlinux, "cap_capable"))
		tracepoint = true;
	else if ((!only || !strcmp(only, "fexit")) && !(rc = probe_fexit(vmlinux, "cap_capable")))
		fexit = true;
	else if (!only || !strcmp(only, "kprobe"))
		kprobe = kprobes_available() &&
			 btf__find_by_name_kind(vmlinux, "cap_capable", BTF_KIND_FUNC) > 0;
	set_autoload(obj, "handle_capable", tracepoint);
	set_autoload(obj, "handle_capable_fexit", fexit);
	set_autoload(obj, "handle_capable_entry", kprobe);
	set_autoload(obj, "handle_capable_return", kprobe);
	cov->cap_hook = tracepoint ? "tp_btf/cap_capable"
			: fexit	   ? "fexit/cap_capable"
			: kprobe   ? "kprobe/cap_capable"
				   : NULL;
	if (only)
		snprintf(why, sizeof(why), "VIGIL_CAP_HOOK=%s: %s", only,
			 rc != -ENOENT ? strerror(-rc) : "not available");
	else
		snprintf(why, sizeof(why), "no tracepoint, fexit refused (%s), no kprobes",
			 strerror(-rc));
	vg_coverage_hook(cov, "cap_capable", cov->cap_hook, why);
	return cov->cap_hook;
}

/* A tracepoint program that calls bpf_rdonly_cast, loaded a moment: 0 if the kernel takes it. */
static int probe_rdonly_cast(const struct btf *vmlinux)
{
	int func = btf__find_by_name_kind(vmlinux, "bpf_rdonly_cast", BTF_KIND_FUNC);
	int type = btf__find_by_name_kind(vmlinux, "kiocb", BTF_KIND_STRUCT);
	struct bpf_insn cast0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = type },
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL, .imm = func },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	if (func <= 0 || type <= 0)
		return -ENOENT;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "vigil_probe", "GPL", cast0,
			   sizeof(cast0) / sizeof(cast0[0]), NULL);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

void vg_hooks_pick_socket_reads(struct bpf_object *obj, const struct btf *vmlinux,
				struct vg_coverage *cov)
{
	static const char *const progs[] = { "enter_connect", "exit_connect", "enter_sendto",
					     "enter_sendmsg", "enter_sendmmsg" };
	const char *only = getenv("VIGIL_SOCKET_CAST");
	char name[64];

	cov->socket_cast = (!only || strcmp(only, "0")) && !probe_rdonly_cast(vmlinux);
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		snprintf(name, sizeof(name), "%s_cast", progs[i]);
		set_autoload(obj, progs[i], !cov->socket_cast);
		set_autoload(obj, name, cov->socket_cast);
	}
}

bool vg_hooks_attach_failed(struct vg_coverage *cov, const char *section, int err)
{
	char category[64], why[VG_GAP_TEXT_MAX];
	const char *hook = hook_of_section(section, category, sizeof(category));

	if (hook_required(hook))
		return false;
	snprintf(why, sizeof(why), "%s refused (%s)", section, strerror(err < 0 ? -err : err));
	add_gap(cover_of(cov, hook), hook, why);
	if (is_capability_prog(section))
		cov->cap_hook = NULL;
	return true;
}
