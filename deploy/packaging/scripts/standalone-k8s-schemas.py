"""Writes standalone Kubernetes JSON schemas for kubeconform from the ones kubernetes-validate ships.

kubernetes-validate's schemas reference a shared `/api/_definitions.json` by absolute path and
declare draft 2020-12, which kubeconform cannot load (it reports every kind as "could not find
schema"). This inlines every `$ref` (a recursive type, such as JSONSchemaProps, is left open as
`{}` at its second occurrence) and writes `<out>/<version>-standalone-strict/<kind>.json`, the
layout of kubeconform's default schema repository.

usage: standalone-k8s-schemas.py <kubernetes-version, e.g. 1.37.0> <out dir>
"""
import json
import os
import sys

import kubernetes_validate


def main(version: str, out: str) -> None:
    source = os.path.join(os.path.dirname(kubernetes_validate.__file__), 'kubernetes-json-schema', f'v{version}-local-strict')
    target = os.path.join(out, f'v{version}-standalone-strict')
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(source, '_definitions.json')) as handle:
        definitions = json.load(handle)['$defs']

    def inline(node, seen):
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get('$ref')
        if isinstance(ref, str) and '#/$defs/' in ref:
            name = ref.split('#/$defs/', 1)[1]
            if name in seen:
                return {}
            resolved = inline(definitions[name], seen | {name})
            rest = {key: inline(value, seen) for key, value in node.items() if key != '$ref'}
            return {**resolved, **rest}
        return {key: inline(value, seen) for key, value in node.items() if key != '$schema'}

    count = 0
    for name in sorted(os.listdir(source)):
        if not name.endswith('.json') or name.startswith('_') or name == 'all.json':
            continue
        with open(os.path.join(source, name)) as handle:
            schema = json.load(handle)
        with open(os.path.join(target, name), 'w') as handle:
            json.dump(inline(schema, frozenset()), handle)
        count += 1
    print(f'{count} standalone schemas in {target}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
