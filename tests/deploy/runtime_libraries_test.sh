#!/usr/bin/env bash
# Every shared library the built binary loads (ldd: direct and transitive) must be in the
# runtime image of deploy/Dockerfile: its Debian package (dpkg -S) is one the runtime stage
# installs, or in the Depends/Pre-Depends closure of those (computed from this machine's dpkg
# database, first installable alternative of `a | b`, as apt picks in a fresh image), or libc6 /
# libgcc-s1 (Priority: required, in every debian:12-slim). Also: no -dev package in the runtime
# stage, and apt knows every package it names.
# Usage: runtime_libraries_test.sh BINARY DOCKERFILE      Exit 77 (skipped) without ldd/dpkg/apt.
set -euo pipefail
binary=$1
dockerfile=$2
source "$(dirname "$0")/dockerfile_lib.sh"

for tool in ldd dpkg dpkg-query apt-cache awk; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
[[ -x "$binary" ]] || { echo "FAIL: $binary is not an executable"; exit 1; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

mapfile -t runtime < <(dockerfile_runtime_packages "$dockerfile")
((${#runtime[@]} > 0)) || { echo "FAIL: no apt-get install in the last stage of $dockerfile"; exit 1; }
echo "runtime stage installs: ${runtime[*]}"

# What dpkg knows about every installed package, in one call: status, dependencies, provides.
declare -A installed=() depends=() provider=()
# (Fields split on \x1f: a tab is white space to read, which would merge empty fields.)
while IFS=$'\x1f' read -r pkg status pre deps provides; do
  [[ "$status" == "install ok installed" ]] || continue
  installed[$pkg]=1
  depends[$pkg]="$pre, $deps"
  IFS=',' read -ra provided <<<"$provides"
  for v in "${provided[@]}"; do
    v=${v%%(*}; v=${v// /}
    [[ -n "$v" && -z "${provider[$v]:-}" ]] && provider[$v]=$pkg
  done
done < <(dpkg-query -W -f=$'${Package}\x1f${Status}\x1f${Pre-Depends}\x1f${Depends}\x1f${Provides}\n')

# What apt knows about the runtime packages, in one call (apt-cache rebuilds its cache on every
# run where the cache is not kept, as in Docker images: a second or more per call).
declare -A in_apt=() apt_depends=()
while IFS=$'\t' read -r pkg deps; do
  in_apt[$pkg]=1
  apt_depends[$pkg]=$deps
done < <(apt-cache show --no-all-versions "${runtime[@]}" 2>/dev/null | awk '
  /^Package:/ { if (pkg != "") print pkg "\t" deps; pkg = $2; deps = "" }
  /^(Pre-)?Depends:/ { sub(/^[^:]*: */, ""); deps = deps $0 ", " }
  END { if (pkg != "") print pkg "\t" deps }')

for p in "${runtime[@]}"; do
  [[ "$p" == *-dev || "$p" == *-dev:* ]] && fail "runtime stage installs a development package: $p"
  [[ -n "${in_apt[$p]:-}" ]] || fail "apt has no package $p (apt-cache show)"
done

# Whether apt has a real (not purely virtual) package of that name; asked only for alternatives
# that are neither installed here nor provided by an installed package, which is rare.
declare -A apt_real=()
apt_knows() {
  local p=$1
  if [[ -z "${apt_real[$p]:-}" ]]; then
    if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then apt_real[$p]=yes; else apt_real[$p]=no; fi
  fi
  [[ "${apt_real[$p]}" == yes ]]
}
dependencies_of() {
  if [[ -n "${installed[$1]:-}" ]]; then echo "${depends[$1]}"; else echo "${apt_depends[$1]:-}"; fi
}

# The closure: breadth-first over Depends and Pre-Depends.
declare -A closure=()
queue=("${runtime[@]}")
while ((${#queue[@]} > 0)); do
  p=${queue[0]}
  queue=("${queue[@]:1}")
  [[ -n "${closure[$p]:-}" ]] && continue
  closure[$p]=1
  IFS=',' read -ra items <<<"$(dependencies_of "$p")"
  for item in "${items[@]}"; do
    IFS='|' read -ra alternatives <<<"$item"
    # As apt resolves it: the first alternative that is a real package, or a virtual name's
    # provider (libgcc1, debconf-2.0, ...).
    chosen=""
    for alt in "${alternatives[@]}"; do
      alt=${alt%%(*}; alt=${alt// /}; alt=${alt%%:*}
      [[ -z "$alt" ]] && continue
      if [[ -n "${installed[$alt]:-}" ]]; then chosen=$alt; break; fi
      if [[ -n "${provider[$alt]:-}" ]]; then chosen=${provider[$alt]}; break; fi
      if apt_knows "$alt"; then chosen=$alt; break; fi
    done
    [[ -n "$chosen" && -z "${closure[$chosen]:-}" ]] && queue+=("$chosen")
  done
done
echo "their dependency closure: ${#closure[@]} packages"

# The libraries the binary loads, and the package owning each.
ldd_out=$(ldd "$binary") || { echo "FAIL: ldd $binary failed"; echo "$ldd_out"; exit 1; }
if grep -q 'not found' <<<"$ldd_out"; then
  fail "libraries not found: $(grep 'not found' <<<"$ldd_out" | tr -s ' \t' ' ')"
fi
mapfile -t libs < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$ldd_out")
((${#libs[@]} > 0)) || fail "ldd lists no libraries for $binary"

# dpkg records paths as packaged (/lib/... or /usr/lib/...); /lib is a symlink to /usr/lib on a
# merged-/usr system, and ldd prints sonames that are symlinks. Ask for every spelling at once.
candidates=()
for lib in "${libs[@]}"; do
  real=$(readlink -f "$lib")
  for c in "$lib" "$real"; do
    candidates+=("$c")
    if [[ "$c" == /usr/* ]]; then candidates+=("${c#/usr}"); else candidates+=("/usr$c"); fi
  done
done
declare -A owner=()
while IFS= read -r line; do
  [[ "$line" == diversion* ]] && continue
  path=${line##*: }
  pkgs=${line%: *}
  pkg=${pkgs%%,*}
  owner[$path]=${pkg%%:*}
done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)

used=()
for lib in "${libs[@]}"; do
  real=$(readlink -f "$lib")
  pkg=""
  for c in "$lib" "$real" "/usr$lib" "${lib#/usr}" "/usr$real" "${real#/usr}"; do
    [[ -n "${owner[$c]:-}" ]] && { pkg=${owner[$c]}; break; }
  done
  if [[ -z "$pkg" ]]; then
    fail "$lib belongs to no Debian package (dpkg -S)"
  elif [[ -n "${closure[$pkg]:-}" || "$pkg" == libc6 || "$pkg" == libgcc-s1 ]]; then
    printf '  ok  %-50s %s\n' "$lib" "$pkg"
    used+=("$pkg")
  else
    fail "$lib comes from $pkg, which the runtime stage of $dockerfile does not install"
  fi
done

for p in "${runtime[@]}"; do
  printf '%s\n' "${used[@]}" | grep -qx "$p" ||
    echo "note: $p provides none of the libraries the binary loads today"
done

((failures == 0)) || { echo "$failures failure(s)"; exit 1; }
echo "every library the binary loads is in the runtime image"
