#!/usr/bin/env bash
# Writes ROOT/DEBIAN/control for the liege .deb: `make deb` calls it on the tree `make install` staged.
# Depends is read from the binary itself: every shared library ldd resolves, mapped to the Debian
# package that ships it (dpkg -S), at least the version installed here (its upstream part).
# usage: deb-control.sh BINARY VERSION ROOT
set -euo pipefail
binary=$1 version=$2 root=$3

package_of() {   # the package owning a library path; merged /usr: dpkg may know it as /lib/... or /usr/lib/...
  local path=$1 real
  real=$(readlink -f "$path")
  for candidate in "$path" "$real" "${real#/usr}" "/usr${path}"; do
    if owner=$(dpkg-query -S "$candidate" 2>/dev/null); then
      echo "${owner%%:*}"
      return 0
    fi
  done
  echo "deb-control.sh: no Debian package ships $path (linked by $binary)" >&2
  return 1
}

libraries=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
if grep -qi swift <<<"$libraries"; then
  echo "deb-control.sh: $binary links a Swift library from the toolchain; build it with --static-swift-stdlib" >&2
  exit 1
fi
depends=$(for library in $libraries; do package_of "$library"; done | sort -u | while read -r package; do
  installed=$(dpkg-query -W -f='${Version}' "$package")
  upstream=${installed#*:}
  echo "$package (>= ${upstream%%-*})"
done | paste -sd, - | sed 's/,/, /g')

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: liege
Version: $version
Architecture: $(dpkg --print-architecture)
Maintainer: ${DEB_MAINTAINER:-Liege maintainers <liege@localhost>}
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Recommends: python3-venv
Section: httpd
Priority: optional
Description: application container for Python web apps (uWSGI-like)
 One binary runs WSGI apps (Django, Flask, ...) with an embedded CPython:
 an emperor governs one master per config file in /etc/liege/vassals,
 each master binds the sockets and supervises its worker processes.
 Options and habits follow uWSGI's. The systemd unit liege-emperor.service
 is installed but not enabled: systemctl enable --now liege-emperor.
CONTROL
