#!/usr/bin/env bash
# Regenerates the TypeScript code for the .proto files (ts-proto, grpc-js services).
# Run from anywhere: `npm run proto`. The output is checked in and never edited by hand.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plugin="$root/node_modules/.bin/protoc-gen-ts_proto"

# Options chosen so the output compiles under NodeNext ESM, strict: `.js` import suffixes,
# Buffer for bytes, int64 as number (limits and counts never reach 2^53), optional
# sub-messages, and grpc-js service definitions.
options="outputServices=grpc-js,esModuleInterop=true,importSuffix=.js,env=node,useOptionals=messages,forceLong=number,useDate=false,outputTypeRegistry=false"

# generate <proto file relative to proto/> <output directory relative to the root>
generate() {
  local source="$1" out="$root/$2"
  rm -rf "$out"
  mkdir -p "$out"
  protoc \
    --plugin="protoc-gen-ts_proto=$plugin" \
    --ts_proto_out="$out" \
    --ts_proto_opt="$options" \
    --proto_path="$root/proto" \
    "$root/proto/$source"
}

generate api.proto packages/api/src/grpc/generated
generate cni/cni.proto packages/api/src/cni/generated
# CRI times are nanoseconds since the epoch (about 2^60), beyond a JS number's exact range:
# its int64/uint64 fields are generated as bigint.
options="${options/forceLong=number/forceLong=bigint}" generate cri/api.proto packages/api/src/cri/generated
