#!/usr/bin/env bash
# Install and package: `cmake --install` into a temporary DESTDIR puts the
# binary, the man page and both completions in the GNU directories, and the
# installed binary runs scan and top on examples/; `cpack -G DEB` makes a
# .deb whose contents and Depends (as dpkg-shlibdeps computes them: zlib,
# protobuf-c, libcurl) are checked with dpkg-deb, and whose binary, unpacked
# with dpkg-deb -x (never installed on the system), runs.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_install: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/install-test
rm -rf "$T" && mkdir -p "$T"
version=$(sed -n 's/^project(leakhound VERSION \([0-9.]*\).*/\1/p' "$LH_SRC/CMakeLists.txt")

# The installed binary on the examples: scan finds what the source binary
# finds (exit 1: findings), top reads a heap profile (exit 0).
check_binary() {  # BIN WHAT
    local bin=$1 rc=0
    "$bin" version | head -1 | grep -qx "leakhound $version" || fail "$2: version: $("$bin" version)"
    (cd "$LH_SRC" && "$bin" scan ./examples/...) >"$T/scan.out" 2>"$T/scan.err" || rc=$?
    [ "$rc" = 1 ] || fail "$2: scan ./examples/... exit $rc, want 1: $(head -3 "$T/scan.err")"
    rc=0
    (cd "$LH_SRC" && "$LH" scan ./examples/...) >"$T/scan.want" 2>/dev/null || rc=$?
    [ "$rc" = 1 ] || fail "$2: the built binary's scan ./examples/... exit $rc, want 1"
    cmp -s "$T/scan.out" "$T/scan.want" || fail "$2: scan differs from the built binary's"
    grep -q 'defer-in-loop' "$T/scan.out" || fail "$2: no defer-in-loop in examples: $(cat "$T/scan.out")"
    "$bin" top -n 3 "$LH_SRC/examples/profiles/cache/heap.7.pb.gz" >"$T/top.out" ||
        fail "$2: top failed"
    grep -q 'renderPage' "$T/top.out" || fail "$2: top shows no renderPage: $(cat "$T/top.out")"
}

# ---- cmake --install into DESTDIR, with a prefix of our choosing --------------
D=$T/destdir
DESTDIR=$D cmake --install "$LH_BUILD" --prefix /opt/lh >"$T/install.log" ||
    fail "cmake --install: $(tail -3 "$T/install.log")"
for f in bin/leakhound share/man/man1/leakhound.1.gz share/bash-completion/completions/leakhound \
         share/zsh/site-functions/_leakhound; do
    [ -f "$D/opt/lh/$f" ] || fail "not installed: /opt/lh/$f ($(cd "$D" && find . -type f))"
done
# Nothing outside the prefix, nothing but these four (no static libraries,
# no test programs).
n=$(cd "$D" && find . -type f | wc -l)
[ "$n" = 4 ] || fail "installed $n files, want 4: $(cd "$D" && find . -type f)"
[ -x "$D/opt/lh/bin/leakhound" ] || fail "installed binary not executable"
zcat "$D/opt/lh/share/man/man1/leakhound.1.gz" | grep -q "^\.TH LEAKHOUND 1 .*leakhound $version" ||
    fail "installed man page lacks the version"
check_binary "$D/opt/lh/bin/leakhound" "installed"

# ---- the Debian package -------------------------------------------------------
P=$T/pkg
mkdir -p "$P"
(cd "$LH_BUILD" && cpack -G DEB -B "$P") >"$T/cpack.log" 2>&1 || fail "cpack: $(tail -5 "$T/cpack.log")"
deb=$P/leakhound_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb ($(ls "$P"))"
dpkg-deb -I "$deb" >"$T/info"
grep -qx " Package: leakhound" "$T/info" || fail "Package: $(cat "$T/info")"
grep -qx " Version: $version" "$T/info" || fail "Version, want $version: $(cat "$T/info")"
dep=$(sed -n 's/^ Depends: //p' "$T/info")
for lib in 'libc6 (>= ' 'zlib1g (>= ' 'libprotobuf-c1 (>= ' 'libcurl[0-9a-z-]* (>= '; do
    echo "$dep" | grep -Eq "(^|, )${lib//(/\\(}" || fail "Depends lacks $lib: $dep"
done
dpkg-deb -c "$deb" >"$T/list"
awk '{print $6}' "$T/list" | sed 's|^\./||' | grep -v '/$' | sort >"$T/contents"
printf '%s\n' usr/bin/leakhound usr/share/bash-completion/completions/leakhound \
    usr/share/man/man1/leakhound.1.gz usr/share/zsh/vendor-completions/_leakhound >"$T/contents.want"
diff -u "$T/contents.want" "$T/contents" || fail "package contents differ (above)"
grep -q '^-rwxr-xr-x root/root .* \./usr/bin/leakhound$' "$T/list" ||
    fail "binary mode/owner: $(grep bin/leakhound "$T/list")"
X=$T/unpacked
dpkg-deb -x "$deb" "$X"
check_binary "$X/usr/bin/leakhound" "packaged"
echo "t_install: ok (Depends: $dep)"
