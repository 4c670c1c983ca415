# Independent pure-Python re-implementation of the metrics in src/eval/, run on random
# perturbations of the training gold (read at run time, nothing copied): every line
# must print the same numbers as `narrascope eval`. Usage: NS_BIN=build/narrascope
# NS_DATA=../shared/data python3 xcheck_explanations.py [seed]   (writes p*.tsv in the current dir)
import random, subprocess, unicodedata
import os
D=os.environ.get('NS_DATA','../shared/data')+'/semeval2025'; B=os.environ.get('NS_BIN','build/narrascope')
def toks(s):
    out=[];cur=''
    for ch in s:
        if unicodedata.category(ch)[0] in 'LMN': cur+=ch.lower() if len(ch.lower())==1 else ch
        else:
            if cur: out.append(cur); cur=''
    if cur: out.append(cur)
    return out
def lcs(a,b):
    prev=[0]*(len(b)+1)
    for x in a:
        cur=[0]*(len(b)+1)
        for j,y in enumerate(b,1): cur[j]=prev[j-1]+1 if x==y else max(prev[j],cur[j-1])
        prev=cur
    return prev[-1]
def f(m,nr,nh):
    if nr==0 and nh==0: return 1.0
    if m==0: return 0.0
    p=m/nh;r=m/nr; return 2*p*r/(p+r)
from collections import Counter
random.seed(3); bad=0
for L in ['BG','EN','HI','PT','RU']:
    g=[l.rstrip('\n').split('\t') for l in open(f'{D}/train/{L}/subtask-3-annotations.txt')]
    p=[]
    for r in g:
        if random.random()<0.1: continue
        w=r[3].split(' '); random.shuffle(w); w=w[:max(1,len(w)*2//3)]
        p.append([r[0],r[1],r[2],' '.join(w).upper() if random.random()<0.3 else ' '.join(w)])
    open('p3.tsv','w').write(''.join('\t'.join(r)+'\n' for r in p))
    pm={r[0]:r[3] for r in p}; sr=st=0
    for r in g:
        if r[0] not in pm: continue
        a=toks(r[3]); b=toks(pm[r[0]])
        sr+=f(lcs(a,b),len(a),len(b)); st+=f(sum((Counter(a)&Counter(b)).values()),len(a),len(b))
    exp="%.4f %.4f"%(sr/len(g),st/len(g))
    out=subprocess.run([B,'eval','--task','explanations','--gold',f'{D}/train/{L}/subtask-3-annotations.txt','--pred','p3.tsv'],capture_output=True,text=True).stdout.strip()
    print(L,out,exp, 'OK' if out==exp else 'MISMATCH'); bad+=out!=exp
print('mismatches',bad)
