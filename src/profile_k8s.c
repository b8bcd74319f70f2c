// SPDX-License-Identifier: GPL-2.0
/* vigil profile: the Kubernetes format (securityContext and NetworkPolicy). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "event.h"
#include "jsonutil.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "proctab.h"
#include "profile.h"
#include "profile_internal.h"
#include "syscalls.h"

/* ---- Kubernetes ---- */

static void k8s_security_context(FILE *f, const struct vg_profile *p, const struct rootfs_plan *pl)
{
	bool root = profile_runs_as_root(p), sys_admin = false;

	fputs("      securityContext:\n", f);
	if (root) {
		root_comment(f, p, "        ");
		fputs("        runAsNonRoot: false\n", f);
	} else if (p->entry_known) {
		fprintf(f,
			"        runAsNonRoot: true\n        runAsUser: %u\n        runAsGroup: "
			"%u\n",
			p->entry_uid, p->entry_gid);
	} else {
		fprintf(f, "        %s", unknown_user);
	}
	blocked_comments(f, pl, "        ");
	fprintf(f, "        readOnlyRootFilesystem: %s\n", pl->n_blocked ? "false" : "true");
	for (size_t k = 0; k < p->capabilities.n; k++)
		sys_admin |= p->capabilities.v[k].number == 21; /* CAP_SYS_ADMIN */
	/* the API server refuses allowPrivilegeEscalation false with CAP_SYS_ADMIN added */
	if (sys_admin && !p->privilege.n)
		fputs("        # CAP_SYS_ADMIN is used: Kubernetes then requires "
		      "allowPrivilegeEscalation\n",
		      f);
	fprintf(f, "        allowPrivilegeEscalation: %s\n",
		p->privilege.n || sys_admin ? "true" : "false");
	fputs("        capabilities:\n          drop: [\"ALL\"]\n", f);
	if (p->capabilities.n) {
		fputs("          add:\n", f);
		for (size_t k = 0; k < p->capabilities.n; k++) {
			fprintf(f, "            - \"%s\"  # ",
				profile_cap_short(p->capabilities.v[k].key));
			comment_str(f, profile_first_program(&p->capabilities.v[k].ev));
			fputc('\n', f);
		}
	}
}

static void k8s_network_policy(FILE *f, const struct vg_profile *p, const char *name)
{
	fprintf(f,
		"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
		"  name: %s-egress\nspec:\n  podSelector:\n    matchLabels:\n"
		"      app.kubernetes.io/name: %s\n  policyTypes: [\"Egress\"]\n",
		name, name);
	if (!p->egress.n) {
		fputs("  # no network connection seen: all egress denied\n  egress: []\n", f);
		return;
	}
	fputs("  # each port over the protocols seen (TCP and UDP where a capture did not say)\n"
	      "  egress:\n",
	      f);
	for (size_t i = 0; i < p->egress.n; i++) {
		const struct vg_profile_item *it = &p->egress.v[i];
		char addr[INET6_ADDRSTRLEN];

		if (!inet_ntop(it->family, it->addr, addr, sizeof(addr)))
			continue;
		fputs("    # by ", f);
		comment_str(f, profile_first_program(&it->ev));
		fprintf(f, "%s\n    - to:\n        - ipBlock:\n            cidr: \"%s/%u\"\n",
			it->succeeded ? "" : " (failed)", addr, it->family == AF_INET ? 32 : 128);
		bool tcp = it->protocols & (1u << VIGIL_PROTO_TCP);
		bool udp = it->protocols & (1u << VIGIL_PROTO_UDP);

		if (!tcp && !udp) /* not recorded (older captures): either */
			tcp = udp = true;
		fputs("      ports:\n", f);
		if (tcp)
			fprintf(f, "        - protocol: TCP\n          port: %u\n", it->port);
		if (udp)
			fprintf(f, "        - protocol: UDP\n          port: %u\n", it->port);
	}
}

void write_k8s(FILE *f, const struct vg_profile_set *s, char **names)
{
	header_comment(f, s);
	for (size_t i = 0; i < s->n; i++) {
		const struct vg_profile *p = &s->v[i];
		struct rootfs_plan pl;

		if (plan_rootfs(p, &pl))
			continue;
		fprintf(f,
			"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  labels:\n"
			"    app.kubernetes.io/name: %s\nspec:\n  containers:\n    - name: %s\n",
			names[i], names[i], names[i]);
		fputs("      image: ", f);
		yaml_str(f, p->image ? p->image : "IMAGE");
		fputc('\n', f);
		k8s_security_context(f, p, &pl);
		seen_comments(f, p, "      ");
		if (!pl.n_blocked && pl.n_tmpfs) {
			fputs("      volumeMounts:\n", f);
			for (size_t k = 0; k < pl.n_tmpfs; k++) {
				fprintf(f, "        - name: tmp-%zu\n          mountPath: ", k);
				yaml_str(f, pl.tmpfs[k]);
				fputc('\n', f);
			}
			fputs("  volumes:\n", f);
			for (size_t k = 0; k < pl.n_tmpfs; k++)
				fprintf(f,
					"    - name: tmp-%zu\n      emptyDir:\n"
					"        medium: Memory\n",
					k);
		}
		k8s_network_policy(f, p, names[i]);
		plan_free(&pl);
	}
}

/* ---- JSON (and seccomp, policy) ---- */
