/* C through wasi-libc: files and directories in a granted directory (argv[1]): fopen modes,
 * seeking, stat, mkdir, readdir (sorted), rename, unlink, rmdir, and errno names. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *errname(int e) {
    switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    default: return "other";
    }
}

static char path[1024];
static const char *at(const char *name) {
    snprintf(path, sizeof path, "%s/%s", getenv("C_FILES_BASE"), name);
    return path;
}

#define SHOW(what, call) \
    do { errno = 0; int r_ = (call); printf("%s: %d %s\n", what, r_ < 0 ? -1 : r_, r_ < 0 ? errname(errno) : "ok"); } while (0)

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name) {
    DIR *d = opendir(at(name));
    if (!d) { printf("opendir %s: %s\n", name, errname(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmpstr);
    printf("ls %s:", name);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: c_files DIR\n"); return 2; }
    setenv("C_FILES_BASE", argv[1], 1);
    FILE *f = fopen(at("notes.txt"), "w");
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d %.3f\n", i, i / 7.0);
    fclose(f);
    f = fopen(at("notes.txt"), "r");
    char line[64];
    fseek(f, -17, SEEK_END);
    long pos = ftell(f);
    fgets(line, sizeof line, f);
    printf("at %ld: %s", pos, line);
    rewind(f);
    int lines = 0;
    while (fgets(line, sizeof line, f)) lines++;
    printf("lines %d, eof %d\n", lines, feof(f));
    fclose(f);
    f = fopen(at("notes.txt"), "a+");
    fputs("appended\n", f);
    fclose(f);
    struct stat st;
    SHOW("stat notes.txt", stat(at("notes.txt"), &st));
    printf("size %lld, regular %d, dir %d\n", (long long)st.st_size, S_ISREG(st.st_mode), S_ISDIR(st.st_mode));
    SHOW("stat missing", stat(at("missing"), &st));
    SHOW("fopen missing", fopen(at("missing/x"), "r") ? 0 : -1);
    SHOW("mkdir d", mkdir(at("d"), 0755));
    SHOW("mkdir d again", mkdir(at("d"), 0755));
    SHOW("stat d", stat(at("d"), &st));
    printf("dir %d\n", S_ISDIR(st.st_mode));
    char *from = strdup(at("notes.txt"));
    SHOW("rename notes.txt d/n.txt", rename(from, at("d/n.txt")));
    free(from);
    SHOW("access notes.txt", access(at("notes.txt"), F_OK));
    SHOW("access d/n.txt", access(at("d/n.txt"), R_OK));
    SHOW("rmdir d (not empty)", rmdir(at("d")));
    SHOW("unlink d (a directory)", unlink(at("d")));
    SHOW("open d/n.txt O_CREAT|O_EXCL", open(at("d/n.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));
    int fd = open(at("d/raw.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    printf("open raw.bin: %s\n", fd >= 0 ? "ok" : errname(errno));
    char data[256];
    for (int i = 0; i < 256; i++) data[i] = (char)i;
    ssize_t wrote = write(fd, data, 256);
    long long off = lseek(fd, 10, SEEK_SET);
    unsigned char back[4];
    ssize_t got = read(fd, back, 4);
    printf("write %zd, lseek %lld, read %zd: %d %d %d %d\n", wrote, off, got, back[0], back[1],
           back[2], back[3]);
    SHOW("ftruncate 100", ftruncate(fd, 100));
    fstat(fd, &st);
    printf("size after truncate %lld\n", (long long)st.st_size);
    close(fd);
    SHOW("read closed fd", (int)read(fd, back, 1));
    list(".");
    list("d");
    list("sub");
    list("nope");
    SHOW("unlink d/n.txt", unlink(at("d/n.txt")));
    SHOW("unlink d/raw.bin", unlink(at("d/raw.bin")));
    SHOW("rmdir d", rmdir(at("d")));
    SHOW("chdir-free getcwd", getcwd(line, sizeof line) ? 0 : -1);
    f = fopen(at("hello.txt"), "r");
    if (f) { fgets(line, sizeof line, f); printf("hello.txt: %s", line); fclose(f); }
    list(".");
    return 0;
}
