#!/bin/sh
# The OCI image's base, made from Debian's packages alone (no container registry): a minimal Debian 12 root file
# system with OpenJDK 17's headless runtime and the CA certificates, built by mmdebstrap and written as an image
# tarball (the `docker save` layout: manifest.json, config.json, one layer) that Jib takes as its base with
# -Dimage.base=tar://OUT.
#   sh base-image.sh OUT.tar [MIRROR]      (default mirror http://deb.debian.org/debian; needs root and mmdebstrap)
# Documentation, manual pages and translations are left out; the manual page directory itself is made, since the
# runtime's post-install script links java's page there.
set -eu
out=${1:?usage: base-image.sh OUT.tar [MIRROR]}
mirror=${2:-http://deb.debian.org/debian}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dossier-base-image.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$tmp/layer.tar" "$mirror"
digest=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
cat >"$tmp/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:$digest"]}}
JSON
echo '[{"Config":"config.json","RepoTags":["dossier-base:bookworm"],"Layers":["layer.tar"]}]' >"$tmp/manifest.json"
tar -cf "$out.part" -C "$tmp" manifest.json config.json layer.tar
mv "$out.part" "$out"
echo "base image: $out ($(du -m "$out" | cut -f1) MiB, Debian 12, OpenJDK 17 runtime)"
