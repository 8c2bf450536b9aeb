# Extracts response templates (spec examples) and request-body schemas from GitHub's OpenAPI description.
# Usage (from the repo root): python3 src/main/resources/sandbox/extract-templates.py ../shared/github/openapi/api.github.com.json src/main/resources/sandbox [--check]
# --check validates every template against its component schema (needs python jsonschema).
import json, sys, copy, os
SPEC = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/github/openapi/api.github.com.json'
OUT = sys.argv[2] if len(sys.argv) > 2 else 'src/main/resources/sandbox'
d = json.load(open(SPEC))
comp = d['components']
def ex(name, first=False):
    v = comp['examples'][name]['value']
    return v[0] if first else v
pr = ex('pull-request')
templates = {
 'full-repository': ex('full-repository-default-response'),
 'repository': pr['head']['repo'],
 'simple-user': ex('issue')['user'],
 'issue': ex('issue'),
 'label': ex('label'),
 'issue-comment': ex('issue-comment'),
 'reaction': ex('reaction'),
 'collaborator-permission': ex('repository-collaborator-permission-response-if-user-has-admin-permissions'),
 'pull-request-simple': ex('pull-request-simple-items', True),
 'pull-request': pr,
 'diff-entry': ex('diff-entry-items', True),
 'pull-request-review': ex('pull-request-review'),
 'merge-result': ex('pull-request-merge-result-response-if-merge-was-successful'),
 'git-ref': ex('git-ref'),
 'check-run': ex('check-run'),
 'repository-ruleset': ex('repository-ruleset'),
 'team-member': ex('team-member-items', True),
 'team': ex('simple-pull-request-review-request')['teams'][0],
 'public-user': ex('public-user-default-response'),
 'rate-limit-overview': ex('rate-limit-overview'),
 'integration': ex('integration'),
 'installation': ex('installation'),
 'installation-token': ex('installation-token'),
 'hook-delivery-item': ex('hook-delivery-items', True),
 'hook-delivery': ex('hook-delivery'),
 'content-file': ex('content-file-response-if-content-is-a-file'),
}
# small patches where GitHub's examples lag behind its own schemas
fr = templates['full-repository']
for k in ('source', 'parent', 'template_repository', 'organization'): fr.pop(k, None)
fr['language'] = None
templates['collaborator-permission']['user']['role_name'] = 'admin'
templates['team']['type'] = 'organization'
templates['installation-token']['token'] = 'placeholder-overwritten-by-the-simulator'  # no real-looking tokens
for t in ('pull-request', 'pull-request-simple'):
    for tm in templates[t]['requested_teams']: tm['type'] = 'organization'
schemas = {'full-repository':'full-repository','repository':'repository','simple-user':'simple-user','issue':'issue','label':'label',
 'issue-comment':'issue-comment','reaction':'reaction','collaborator-permission':'repository-collaborator-permission',
 'pull-request-simple':'pull-request-simple','pull-request':'pull-request','diff-entry':'diff-entry','pull-request-review':'pull-request-review',
 'merge-result':'pull-request-merge-result','git-ref':'git-ref','check-run':'check-run','repository-ruleset':'repository-ruleset',
 'team-member':'simple-user','team':'team','public-user':'public-user','rate-limit-overview':'rate-limit-overview','integration':'integration',
 'installation':'installation','installation-token':'installation-token','hook-delivery-item':'hook-delivery-item','hook-delivery':'hook-delivery','content-file':'content-file'}
def nullable(n):
    if isinstance(n, dict):
        n = {k: nullable(v) for k, v in n.items()}
        if n.pop('nullable', False):
            if 'type' in n:
                n['type'] = [n['type'], 'null']
                if 'enum' in n: n['enum'] = n['enum'] + [None]
            elif '$ref' in n: n = {'anyOf': [{'$ref': n['$ref']}, {'type': 'null'}]}
            else: n = {'anyOf': [n, {'type': 'null'}]}
        return n
    if isinstance(n, list): return [nullable(x) for x in n]
    return n
if '--check' in sys.argv:
    import jsonschema
    root = nullable({'components': comp})
    for t, s in schemas.items():
        sch = dict(root); sch['$ref'] = '#/components/schemas/' + s
        errs = list(jsonschema.Draft202012Validator(sch).iter_errors(templates[t]))
        print(t, 'OK' if not errs else [ (list(e.path), e.message[:150]) for e in errs[:5]])
os.makedirs(OUT + '/templates', exist_ok=True)
for t, v in templates.items():
    json.dump(v, open(f'{OUT}/templates/{t}.json', 'w'), indent=1)
    open(f'{OUT}/templates/{t}.json', 'a').write('\n')
# request body schemas with $refs inlined and nullable rewritten, i.e. plain JSON Schema (draft 4) for the validator
def inline(n, depth=0):
    if isinstance(n, dict):
        if '$ref' in n:
            parts = n['$ref'].split('/')[1:]
            tgt = d
            for p in parts: tgt = tgt[p]
            return inline(tgt, depth + 1) if depth < 12 else {}
        return {k: inline(v, depth) for k, v in n.items() if k not in ('description', 'examples', 'example')}
    if isinstance(n, list): return [inline(x, depth) for x in n]
    return n
ops = [l.split() for l in open(os.path.dirname(os.path.abspath(__file__)) + '/request-ops.txt') if l.strip()] if os.path.exists(os.path.dirname(os.path.abspath(__file__)) + '/request-ops.txt') else []
req = {}
for m, p in ops:
    op = d['paths'][p][m.lower()]
    rb = op.get('requestBody')
    if not rb: continue
    if '$ref' in rb: rb = inline(rb)
    sch = rb['content'].get('application/json', {}).get('schema')
    if sch is None: continue
    req[m + ' ' + p] = {'required': rb.get('required', False), 'schema': nullable(inline(sch))}
json.dump(req, open(f'{OUT}/request-schemas.json', 'w'), indent=1, sort_keys=True)
print('request schemas', len(req))
