# Independent pure-Python re-implementation of the metrics in src/eval/, run on random
# perturbations of the training gold (read at run time, nothing copied): every line
# must print the same numbers as `narrascope eval`. Usage: NS_BIN=build/narrascope
# NS_DATA=../shared/data python3 xcheck_framing_narratives.py [seed]   (writes p*.tsv in the current dir)
import random, math, subprocess, sys
import os
D=os.environ.get('NS_DATA','../shared/data')+'/semeval2025'
B=os.environ.get('NS_BIN','build/narrascope')
tax=D+'/taxonomy'
roles={}
for i,l in enumerate(open(tax+'/roles.tsv')):
    if i==0: continue
    m,f=l.rstrip('\n').split('\t'); roles.setdefault(m,[]).append(f)
coarse=[l.rstrip('\n') for l in open(tax+'/narratives.txt') if l.strip()]
fine=[l.rstrip('\n') for l in open(tax+'/subnarratives.txt') if l.strip()]
def py_framing(g,p):
    pm={}
    for r in p: pm[(r[0],r[1].replace('"',''),r[2],r[3])]=(r[4],r[5:])
    n=len(g); ex=acc=tp=fp=fn=0
    for r in g:
        k=(r[0],r[1].replace('"',''),r[2],r[3]); gm,gf=r[4],r[5:]
        pmr,pf=pm.get(k,(None,[]))
        if pmr==gm: acc+=1
        if pmr==gm and list(pf)==list(gf): ex+=1
        G=set(gf);P=set(pf); tp+=len(G&P); fp+=len(P-G); fn+=len(G-P)
    P=tp/(tp+fp) if tp+fp else 1.0; R=tp/(tp+fn) if tp+fn else 1.0
    F=2*tp/(2*tp+fp+fn) if 2*tp+fp+fn else 1.0
    return "%.4f %.4f %.4f %.4f %.4f"%(ex/n,P,R,F,acc/n)
def py_narr(g,p):
    pm={r[0]:r for r in p}
    out=[]
    for lst,ci,name in ((coarse,1,'c'),(fine,2,'f')):
        S=set(lst); sc=[]
        for r in g:
            G=set(x.strip() for x in r[ci].split(';') if x.strip())&S
            pr=pm.get(r[0]); P=(set(x.strip() for x in pr[ci].split(';') if x.strip())&S) if pr else set()
            tp=len(G&P); d=2*tp+len(P-G)+len(G-P)
            sc.append(2*tp/d if d else 0.0)
        m=sum(sc)/len(sc); sd=math.sqrt(sum((x-m)**2 for x in sc)/len(sc))
        out.append("%.3f (%.3f)"%(m,sd))
    return ' '.join(out)
random.seed(int(sys.argv[1]) if len(sys.argv)>1 else 1)
bad=0
for L in ['BG','EN','HI','PT','RU']:
    g=[l.rstrip('\n').split('\t') for l in open(f'{D}/train/{L}/subtask-1-annotations.txt')]
    for trial in range(3):
        p=[]
        for r in g:
            x=random.random()
            if x<0.15: continue
            r=list(r)
            if x<0.35: 
                m=random.choice(list(roles)); r=r[:4]+[m]+random.sample(roles[m],random.choice([1,1,2]) if len(roles[m])>1 else 1)
            elif x<0.45 and len(r)>6: r=r[:5]+list(reversed(r[5:]))
            p.append(r)
        random.shuffle(p)
        open('p1.tsv','w').write(''.join('\t'.join(r)+'\n' for r in p))
        out=subprocess.run([B,'eval','--task','framing','--gold',f'{D}/train/{L}/subtask-1-annotations.txt','--pred','p1.tsv','--taxonomy',tax],capture_output=True,text=True).stdout.strip()
        exp=py_framing(g,p)
        if out!=exp: bad+=1; print(L,'framing',out,'!=',exp)
        else: print(L,'framing',out)
    g=[l.rstrip('\n').split('\t') for l in open(f'{D}/train/{L}/subtask-2-annotations.txt')]
    for trial in range(3):
        p=[]
        for r in g:
            x=random.random()
            if x<0.1: continue
            c=[s for s in r[1].split(';') if random.random()<0.7]+random.sample(coarse,random.choice([0,0,1,2]))
            f=[s for s in r[2].split(';') if random.random()<0.6]+random.sample(fine,random.choice([0,0,1,3]))
            if random.random()<0.1: f.append('CC: Climate change is beneficial: Other')
            p.append([r[0],';'.join(c) or 'Other',';'.join(f) or 'Other'])
        open('p2.tsv','w').write(''.join('\t'.join(r)+'\n' for r in p))
        out=subprocess.run([B,'eval','--task','narratives','--gold',f'{D}/train/{L}/subtask-2-annotations.txt','--pred','p2.tsv','--taxonomy',tax],capture_output=True,text=True).stdout.strip()
        exp=py_narr(g,p)
        if out!=exp: bad+=1; print(L,'narr',out,'!=',exp)
        else: print(L,'narratives',out)
print('mismatches',bad)
