#!/usr/bin/env python3
"""The import graph of src/domain, file by file and room by room, and its cycles.

    python3 scripts/domain_imports.py [REPO] [-v]

Reads `crate::domain::…`, `super::…` and child-module paths (tests excluded), prints the number
of files and the cycles between files and between rooms (top-level folders and kernel files),
and exits 1 if there is any. `-v` also prints every edge. `.ci/run` runs it."""
import os,re,sys
ROOT=next((a for a in sys.argv[1:] if not a.startswith('-')), os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
D=ROOT+'/src/domain'
mods={}  # module path tuple -> file
for dp,_,fs in os.walk(D):
    for f in fs:
        if not f.endswith('.rs'): continue
        p=os.path.join(dp,f); rel=os.path.relpath(p,D)[:-3].split('/')
        if rel[-1]=='mod': rel=rel[:-1]
        mods[tuple(rel)]=p
def resolve(path):
    # longest prefix that is a module
    for n in range(len(path),-1,-1):
        if tuple(path[:n]) in mods: return tuple(path[:n])
    return None
def expand(prefix, body):
    # body: text after prefix (could be {a, b::c, ...} or ident::ident...)
    out=[]
    body=body.strip()
    if body.startswith('{'):
        depth=0;cur='';items=[]
        for ch in body[1:]:
            if ch=='{':depth+=1
            if ch=='}':
                if depth==0: break
                depth-=1
            if ch==',' and depth==0: items.append(cur);cur=''
            else: cur+=ch
        items.append(cur)
        for it in items:
            it=it.strip()
            if not it: continue
            m=re.match(r'([\w:]+?)(::\{.*)?$',it,re.S)
            head=re.match(r'[\w:]+',it)
            if not head: continue
            h=head.group(0).rstrip(':')
            rest=it[len(head.group(0)):]
            if rest.startswith('{'):
                out+=expand(prefix+[x for x in h.split('::') if x], rest)
            else:
                out.append(prefix+[x for x in h.split('::') if x and x!='self'])
    else:
        m=re.match(r'[\w:]+',body)
        if m: out.append(prefix+[x for x in m.group(0).split('::') if x])
    return out
edges={}
for mod,p in mods.items():
    s=open(p).read()
    s=re.sub(r'//[^\n]*','',s)
    s=re.split(r'#\[cfg\(test\)\]',s)[0]
    deps=set()
    for m in re.finditer(r'crate::domain::',s):
        for path in expand([], s[m.end():m.end()+400]):
            r=resolve(path)
            if r is not None and r!=mod and r!=(): deps.add(r)
    base=list(mod) if p.endswith('mod.rs') else list(mod[:-1])
    for m in re.finditer(r'\bsuper::',s):
        parent=base[:-1]
        for path in expand(parent, s[m.end():m.end()+400]):
            r=resolve(path)
            if r is not None and r!=mod and r!=(): deps.add(r)
    # a module's own children, named bare after `pub mod x;` (x::item), are deps too
    for child in re.findall(r'\bpub mod (\w+);',s):
        if re.search(r'(?<![:\w])'+child+r'::',s): deps.add(tuple(list(mod)+[child]))
    deps.discard(())
    edges[mod]=deps
def cycles(graph):
    idx={};low={};st=[];on=set();res=[];i=[0]
    sys.setrecursionlimit(10000)
    def sc(v):
        idx[v]=low[v]=i[0];i[0]+=1;st.append(v);on.add(v)
        for w in graph.get(v,()):
            if w not in idx: sc(w);low[v]=min(low[v],low[w])
            elif w in on: low[v]=min(low[v],idx[w])
        if low[v]==idx[v]:
            comp=[]
            while True:
                w=st.pop();on.discard(w);comp.append(w)
                if w==v:break
            if len(comp)>1: res.append(comp)
    for v in list(graph):
        if v not in idx: sc(v)
    return res
fc=cycles(edges)
print('files:',len(mods),'file-level cycles:',len(fc))
for c in fc: print('  ', ' -> '.join('::'.join(x) for x in c))
def room(m): return m[0] if len(m)>1 or m in [k for k in mods if len(k)==1 and mods[k].endswith('mod.rs')] else '(kernel:'+m[0]+')'
fg={}
for a,ds in edges.items():
    if a==(): continue
    ra=a[0]
    for d in ds:
        rd=d[0]
        if rd!=ra: fg.setdefault(ra,set()).add(rd)
folders={k[0] for k in mods if len(k)>1}
fg2={a:{d for d in ds if d in folders or True} for a,ds in fg.items()}
gc=cycles(fg2)
print('top-level (folders and root files) cycles:',len(gc))
for c in gc: print('  ', ' -> '.join(c))

if '-v' in sys.argv:
    for a in sorted(edges): print('  file',a,'->',sorted(edges[a]))
    for a in sorted(fg2): print(a,'->',sorted(fg2[a]))

sys.exit(1 if (fc or gc) else 0)
