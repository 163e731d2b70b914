#!/usr/bin/env bash
# Installs what tkube needs on a Debian 12 machine, as root, without any registry but
# Debian's and npm's. Idempotent: each step checks first and says what it does.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
step() { echo "install: $*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "install: must run as root (it installs Debian packages and starts dockerd)" >&2
  exit 1
fi

# Debian packages: command -> package.
declare -A wanted=(
  [dockerd]=docker.io [nats-server]=nats-server [busybox]=busybox-static
  [ip]=iproute2 [iptables]=iptables [conntrack]=conntrack [unzip]=unzip [openssl]=openssl
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
# busybox from another package is dynamically linked; the images need the static one.
[ -x /bin/busybox ] && file_static=$(ldd /bin/busybox 2>&1 || true) || file_static=""
if [ -x /bin/busybox ] && ! grep -q "not a dynamic" <<<"$file_static"; then missing+=(busybox-static); fi
if [ ${#missing[@]} -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  step "Debian packages present"
fi

# dockerd: start one when none answers.
if docker info >/dev/null 2>&1; then
  step "dockerd is running"
else
  step "starting dockerd (log: /var/log/tkube-dockerd.log)"
  nohup dockerd >/var/log/tkube-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "install: dockerd did not start; see /var/log/tkube-dockerd.log" >&2; exit 1; }
fi

# Local images, built from Debian's busybox-static: no registry is reachable.
build_image() { # tag context
  if docker image inspect "$1" >/dev/null 2>&1; then
    step "image $1 present"
  else
    step "building image $1"
    DOCKER_BUILDKIT=0 docker build -q -t "$1" "$2" >/dev/null
  fi
}
cp /bin/busybox "$here/images/busybox/busybox"
cp /bin/busybox "$here/images/pause/busybox"
build_image busybox:1.35 "$here/images/busybox"
if ! docker image inspect busybox:latest >/dev/null 2>&1; then
  step "tagging busybox:latest"
  docker tag busybox:1.35 busybox:latest
fi
build_image tkube/pause:3.10 "$here/images/pause"
step "done"
