# Generates the data part of src/text/lexicon.c from the word lists below:
#   python3 data/text/gen_lexicon.py src/text/lexicon.c
# rewrites the text between the BEGIN/END GENERATED markers of that file. Entries
# are written in normal form (NFKC + case fold), sorted, and entered in one hash
# table (FNV-1a 64, linear probing) with the bit set of the lists holding them.
# Stop-word lists keep only words that no other language of the same script lists.
import unicodedata, sys
def nf(w): return unicodedata.normalize('NFKC', w).casefold()
L = {}
def add(name, words):
    ws = sorted(set(nf(w) for w in words.split('|') if w.strip()!='' ) if '|' in words else set(nf(w) for w in words.split()))
    L[name] = ws

# ---------------- stop words (langid + sentence starters) ----------------
stop = {
'en': "the of and to in is that for it on was with as by he at from his be have has are this but not they were had been which their will an or its who would said more than also she her we there about after all what when into can our them these out up one if new over other only such some could so no because while those being against how any most should just do does did him my your you i us may then where why",
'pt': "o os um uma ao aos à às do da dos das em no na nos nas num numa pelo pela pelos pelas não é são foi foram está estão tem têm também já ele ela eles elas seu sua seus suas muito depois ainda sobre quando mesmo isso esse essa este esta entre até ser ter há nós você lhe dele deles disse segundo porque onde ou mas mais como uma sem",
'es': "el los las del al y es son fue pero más muy también ya este esta estos estas sus hay ha han dijo desde hasta sobre entre cuando porque donde sin mismo eso ese esa él ella ellos ellas muy otro otra otros según aunque",
'fr': "le les des du et est sont dans pour pas sur aux avec ce cette il elle ils elles ne plus mais ou son sa ses été être nous vous leur comme lui qui au une",
'de': "der die das und den von zu mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde",
'it': "il di che per del della non con sono gli ha alla anche più questo delle è essere stato dopo sul nella suo sua nel dei degli ma come",
'ru': "что это как из для у же все всё он она они так его ее её их бы был была были было будет уже только также еще ещё чтобы если когда этого этом может который которые которая которых которого сказал заявил года году россии том со во после более нет очень этот эти есть сейчас вы мы я ты него нее ним них себя свою своих где кто чем тем того тоже всех через этих будут можно были время",
'uk': "і й та у що з із зі як це від але які який яка яке він вона вони його її їх є було був була були буде також ще вже коли якщо щоб між після через про тому чи або ми ви я ти себе свої цього цій цей ця ці року україни мають може можуть тільки лише дуже зараз сьогодні щодо зокрема",
'bg': "може та ми ти себе все се от че е са като това той тя те ще бъде беше бяха което които който която има също още вече ако когато му им ги го ни ви във със към през тази този тези нещо могат трябва много само така както където защото обаче всички година години сме сте съм си бил била били било тук там днес според след",
'sr': "је који која које ће као",
'hi': "के है में की और से को का ने पर यह कि भी हैं था एक लिए तो ही इस कर गया किया साथ नहीं वह हो जो थे थी रहा रहे बाद अपने उन्होंने कहा दिया तक इसके अब या वे हुए हुई जा सकता करने होने द्वारा बताया लेकिन बीच किसी कुछ",
'mr': "आहे आणि हे ते होते आहेत व म्हणून केले केली त्यांनी मध्ये आता तर पण त्या सर्व झाले नाही करण्यात",
'ne': "छ र मा गरेको छन् भएको पनि गर्न लागि तथा थियो गरे यो त्यो भने हुन्छ",
}
groups = [['en','pt','es','fr','de','it'], ['ru','uk','bg','sr'], ['hi','mr','ne']]
sets = {k: set(nf(w) for w in v.split()) for k,v in stop.items()}
for g in groups:
    for a in g:
        others = set().union(*[sets[b] for b in g if b != a])
        excl = sets[a] - others
        L['stop_'+a] = sorted(excl)

# ---------------- abbreviations (without the final period; inner periods kept) ----------------
# title: never ends a sentence when more text follows (Mr., ул.);
# general: ends one before an upper-case word (etc., млн., г. after a year);
# name: ends one only before an upper-case stop word (U.S. President, т.е. Москва).
abbr = {
'en': ("mr mrs ms dr prof st mt gen sen rep gov lt col capt sgt rev hon pres vs no nos vol fig pp ft cmdr adm maj supt insp det ave blvd rd approx dept univ messrs",
       "etc inc ltd co corp a.m p.m e.g i.e al jan feb mar apr jun jul aug sep sept oct nov dec ph.d est cf",
       "u.s u.k u.n e.u jr sr"),
'pt': ("sr sra srs dr dra drs prof profa eng av n.º nº pe s sto sta gen cel cap ten sgt min exmo exma v.exa p pp art arts vol cf ex aprox séc núm tel",
       "etc lda ltda cia s.a a.c d.c jan fev mar abr mai jun jul ago set out nov dez",
       "i.e e.g p.ex"),
'bg': ("ул бул гр проф акад доц ген полк св пл с обл чл ал т стр вкл вж напр кв бл ап ет б дж н.п",
       "г гг в вв н.е пр.н.е др млн млрд хил лв ч мин сек",
       "т.е т.н т.нар"),
'ru': ("ул пр просп пер проф акад доц ген полк св им пл с обл ст ч ал т стр рис см напр кв д ген-л гр дж н.п",
       "г гг в вв т.д т.п н.э др млн млрд трлн тыс руб долл мин сек",
       "т.е т.к т.н"),
'uk': ("вул просп пров проф акад доц ген полк св ім пл с обл ст ч т стр рис див напр кв д гр дж н.п",
       "р рр ст т.д т.п н.е млн млрд тис грн дол хв сек",
       "т.зв"),
# Hindi writes Latin initials as letter names ("एस. जयशंकर"); they never end a sentence.
'hi': ("डॉ प्रो श्री सं ए बी सी डी एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई जेड",
       "ई पू", ""),
}
for k,(t,g,nm) in abbr.items():
    L['abbr_title_'+k] = sorted(set(nf(w) for w in t.split()))
    L['abbr_general_'+k] = sorted(set(nf(w) for w in g.split()))
    if nm:
        L['abbr_name_'+k] = sorted(set(nf(w) for w in nm.split()))

# ---------------- boilerplate cues (phrases of word norms, all languages) ----------------
def phrases(s): return sorted(set(' '.join(nf(x) for x in p.split()) for p in s.split('|') if p.strip()))
L['cue_share'] = phrases("share|share this|share on|share via|share the|share this article|share this story|share article|subscribe|subscribe to|subscribe now|follow us|follow|follow on|like us|join us|sign up|click here|download the app|read more|read also|also read|see also|related|advertisement|newsletter|email this|print this|"
 "поделиться|поделитесь|подписывайтесь|подпишитесь|подписаться|следите за|присоединяйтесь|читайте также|читайте нас|смотрите также|реклама|"
 "сподели|споделете|споделяне|абонирайте се|абонирай се|последвайте|последвайте ни|следвайте ни|харесайте|присъединете се|прочетете още|прочетете също|вижте още|вижте също|реклама|"
 "поділитися|підписуйтесь|підпишіться|читайте також|"
 "partilhar|partilhe|compartilhar|compartilhe|subscreva|assine|siga|siga-nos|siga o|inscreva-se|leia também|leia mais|veja também|publicidade|clique aqui|"
 "शेयर|शेयर करें|सब्सक्राइब|सब्सक्राइब करें|फॉलो करें|हमें फॉलो करें|यह भी पढ़ें|ये भी पढ़ें|इसे भी पढ़ें|और पढ़ें|विज्ञापन")
L['cue_platform'] = phrases("facebook|twitter|x|telegram|whatsapp|instagram|youtube|tiktok|linkedin|vk|vkontakte|viber|rss|newsletter|email|e-mail|inbox|channel|subscriber|subscription|mailing|google news|"
 "телеграм|телеграм-канал|канал|канале|вконтакте|одноклассники|дзен|фейсбук|туитър|телеграма|абонамент|бюлетин|"
 "канал|каналу|"
 "canal|boletim|newsletter|"
 "फेसबुक|ट्विटर|यूट्यूब|इंस्टाग्राम|व्हाट्सएप|टेलीग्राम|चैनल")
L['cue_cookie'] = phrases("cookie|cookies|куки|cookie-файлы|cookie-файлов|бисквитки|бисквитките|файлы cookie|кукі|कुकीज़")
L['cue_copyright'] = phrases("copyright|all rights reserved|©|(c)|всички права запазени|всички права са запазени|все права защищены|все права сохранены|усі права захищені|всі права захищені|todos os direitos reservados|direitos reservados|सर्वाधिकार सुरक्षित|कॉपीराइट")
L['cue_timestamp'] = phrases("updated|updated on|last updated|published|published on|posted|posted on|posted at|first published|"
 "обновлено|обновлен|обновлена|опубликовано|опубликован|опубликована|дата публикации|"
 "обновено|обновена|обновен|публикувано|публикувана|публикуван|актуализирано|актуализирана|актуализиран|последна актуализация|"
 "оновлено|опубліковано|"
 "atualizado|atualizado em|atualizada|publicado|publicado em|publicada|actualizado|última atualização|"
 "अपडेटेड|अपडेट|प्रकाशित|अंतिम अपडेट|पब्लिश")
L['cue_meta'] = phrases("date|time|by|author|source|category|tags|tag|views|comments|print|email|"
 "дата|время|автор|источник|рубрика|теги|просмотры|комментарии|час|източник|категория|етикети|прегледи|коментари|"
 "джерело|переглядів|"
 "data|hora|autor|fonte|categoria|etiquetas|visualizações|comentários|"
 "तारीख|दिनांक|लेखक|स्रोत|श्रेणी|टैग")
L['cue_date'] = phrases(
 "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
 "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|am|pm|a.m|p.m|gmt|utc|ist|est|edt|cet|cest|msk|eet|eest|bst|pst|"
 "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
 "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|г|года|год|мск|ч|"
 "януари|февруари|април|юни|юли|септември|октомври|ноември|декември|понеделник|сряда|четвъртък|петък|събота|неделя|"
 "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
 "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|sábado|domingo|de|h|"
 "जनवरी|फरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|अक्टूबर|नवंबर|दिसंबर|सोमवार|मंगलवार|बुधवार|गुरुवार|शुक्रवार|शनिवार|रविवार|बजे")

def cstr(s): return '"' + s.replace('\\','\\\\').replace('"','\\"') + '"'
def fnv(b):
    h = 0xcbf29ce484222325
    for x in b:
        h ^= x; h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h
out = []
names = list(L)
assert len(names) <= 63  # bit 63 marks phrase prefixes
for name in names:
    ws = L[name]
    out.append('static const char *const %s[] = {' % name)
    line = '\t'
    for w in ws:
        item = cstr(w) + ', '
        if len(line) + len(item) > 96:
            out.append(line.rstrip()); line = '\t'
        line += item
    out.append(line.rstrip())
    out.append('};')
    out.append('')
reg = []
for name in names:
    kind, _, lang = name.rpartition('_') if name.startswith(('stop_','abbr_')) else (name, '', '*')
    reg.append('\t{"%s", "%s", NS_WORDLIST(%s)},' % (kind, lang, name))
masks = {}
for i, name in enumerate(names):
    for w in L[name]:
        masks[w] = masks.get(w, 0) | (1 << i)
# proper word prefixes of multi-word cues, so phrase matching can stop early
for name in names:
    for w in L[name]:
        parts = w.split(' ')
        for k in range(1, len(parts)):
            p = ' '.join(parts[:k])
            masks[p] = masks.get(p, 0) | (1 << 63)
size = 1
while size < 2 * len(masks): size *= 2
table = [None] * size
for w in sorted(masks):
    h = fnv(w.encode()) & (size - 1)
    while table[h] is not None: h = (h + 1) & (size - 1)
    table[h] = w
out.append('static const struct lexicon_entry lexicon[] = {')
out += reg
out.append('};')
out.append('')
out.append('/* Open-addressing hash table of every word of every list (FNV-1a 64, linear')
out.append(' * probing, %d slots for %d words) with the bit set of the lists holding it;' % (size, len(masks)))
out.append(' * bit 63 marks a proper prefix of a multi-word cue. */')
out.append('#define LEX_SLOTS %d' % size)
out.append('static const struct lexicon_slot lexicon_hash[LEX_SLOTS] = {')
row = '\t'
for i, w in enumerate(table):
    if w is not None:
        item = '[%d] = {%s, %d, 0x%xULL}, ' % (i, cstr(w), len(w.encode()), masks[w])
        if len(row) + len(item) > 100:
            out.append(row.rstrip()); row = '\t'
        row += item
out.append(row.rstrip())
out.append('};')
body = '\n'.join(out) + '\n'
if len(sys.argv) > 1:
    src = open(sys.argv[1], encoding='utf-8').read()
    a = src.index('/* BEGIN GENERATED')
    a = src.index('\n', a) + 1
    b = src.index('/* END GENERATED')
    open(sys.argv[1], 'w', encoding='utf-8').write(src[:a] + body + src[b:])
else:
    sys.stdout.write(body)
