#!/bin/sh
# tools/deps.sh PROFILE - install the Debian packages orgfig needs, and only
# the missing ones.  PROFILE is "build" (compile and run), "test" (also the
# test tools) or "dev" (also clang for fuzzing).  Uses sudo when not root.
# On a system without apt-get it prints what to install and fails if a
# required tool is absent.
set -eu
profile=${1:-build}

build_pkgs="make gcc pkg-config libcairo2-dev libpng-dev fonts-dejavu-core"
# An Emacs with image support; emacs-gtk is Debian's graphical build.
emacs_pkg="emacs-gtk"
test_pkgs="xvfb xauth valgrind elpa-package-lint clang-format"
dev_pkgs="clang libclang-rt-14-dev llvm"

case "$profile" in
build) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
dev) want="$build_pkgs $test_pkgs $dev_pkgs" ;;
*) echo "deps.sh: unknown profile '$profile' (build, test or dev)" >&2; exit 2 ;;
esac

emacs_ok() {
    command -v emacs >/dev/null 2>&1 || return 1
    emacs -Q --batch --eval '(kill-emacs (if (and (>= emacs-major-version 28) (featurep (quote x)) (image-type-available-p (quote png))) 0 1))' >/dev/null 2>&1
}

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    missing=""
    command -v cc >/dev/null 2>&1 || missing="$missing C-compiler"
    command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
    pkg-config --exists cairo 2>/dev/null || missing="$missing cairo-development-files"
    pkg-config --exists libpng 2>/dev/null || missing="$missing libpng-development-files"
    command -v emacs >/dev/null 2>&1 || missing="$missing Emacs-28-or-newer"
    if [ -n "$missing" ]; then
        echo "orgfig: this is not a Debian-like system; please install:$missing" >&2
        echo "orgfig: (tests also use Xvfb and valgrind)" >&2
        exit 1
    fi
    exit 0
fi

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
emacs_ok || missing="$missing $emacs_pkg"

[ -z "$missing" ] && exit 0

echo "orgfig: installing missing Debian packages:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "orgfig: not root and no sudo; please install:$missing" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
