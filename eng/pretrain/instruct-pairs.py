# /usr/bin/python3 eng/pretrain/instruct-pairs.py artifacts/pretrain/corpus artifacts/pretrain/run/heldout.jsonl > artifacts/pretrain/instruct.jsonl
#
# Question -> answer records for the base's instruction stage (issue 16), made from the same staged Debian packages
# as its pretraining corpus: each man page's NAME line (manpages-zh) asked both ways ("what does X do?" -> its
# description; "which command does D?" -> X), and each Debian FAQ question (zh-cn and en) with the first paragraph of
# its answer. Every question is asked in several of the phrasings below, as the shop's customers ask one policy in many
# ways, while the answer stays one sentence. Pages and FAQ sections the pretraining run held out are skipped, so the
# forgetting check's text stays unseen. Deterministic: the phrasings are drawn by a fixed-seed random generator.
import glob, gzip, json, os, random, re, sys, unicodedata

corpus, heldout_path = sys.argv[1], sys.argv[2]
rng = random.Random(16)

ASK_COMMAND_ZH = ["{c} 命令是做什么的？", "请问 {c} 有什么用", "{c} 是干什么用的呢？", "我想知道 {c} 这个命令的作用",
                  "客服，{c} 怎么用？", "你好，{c} 是什么", "{c} 能做什么，谢谢", "Linux 里的 {c} 是什么意思？"]
ASK_TOOL_ZH = ["哪个命令的作用是“{d}”？", "“{d}”是哪个命令", "请问，用来“{d}”的工具叫什么", "我在找一个命令：{d}，是哪个呢？"]
ASK_FAQ_ZH = ["{q}", "请问，{q}", "你好，想问一下：{q}", "{q}谢谢"]
ASK_FAQ_EN = ["{q}", "Hi, {q}", "Quick question: {q}", "{q} Thanks."]


def held_out():
    ids, texts = set(), []
    for line in open(heldout_path, encoding="utf-8"):
        doc = json.loads(line)
        ids.add(doc["id"].rsplit("#", 1)[0])
        texts.append(doc["text"])
    return ids, "\n".join(texts)


def roff_text(line):
    line = re.sub(r"\\f[BIRP]|\\f\(..|\\[&/,]|\\\*\(..", "", line)
    line = line.replace("\\(lq", "“").replace("\\(rq", "”").replace("\\-", "-").replace("\\(em", "—").replace("\\ ", " ").replace("\\e", "\\")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", line)).strip()


def man_names(path):
    lines = gzip.open(path, "rt", encoding="utf-8", errors="replace").read().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^\.S[Hh]\s+\"?(名称|NAME|名字|命令名)", line):
            body = ""
            for line in lines[i + 1:i + 4]:  # the NAME line, wrapped at most twice; a macro line ends it
                if line.startswith(".") or " - " in body:
                    break
                body = (body + " " + roff_text(line)).strip()
            m = re.match(r"^(.+?)\s+-+\s+(.+)$", body)
            if m:
                return [c.strip() for c in m.group(1).split(",") if c.strip()], m.group(2).strip().rstrip("。.")
    return None


def man_records(skip_ids):
    root = os.path.join(corpus, "manpages-zh")
    for path in sorted(glob.glob(os.path.join(root, "usr/share/man/zh_CN/man*/*.gz"))):
        page = "manpages-zh/" + os.path.relpath(path, os.path.join(root, "usr/share/man/zh_CN"))
        found = None if page in skip_ids else man_names(path)
        if not found or not re.search(r"[\u4e00-\u9fff]", found[1]) or len(found[1]) > 60:
            continue
        names, desc = found
        command = names[0]
        for template in rng.sample(ASK_COMMAND_ZH, 3):
            yield "man", template.format(c=command), f"{command}：{desc}。"
        for template in rng.sample(ASK_TOOL_ZH, 2):
            yield "man", template.format(d=desc), f"是 {command}。"


def faq_sections(path):
    text = gzip.open(path, "rt", encoding="utf-8").read().replace("\u00a0", " ")  # the headings' number ends in one
    body = text[re.search(r"^1\.1\. ", text, re.M).start():]  # the table of contents indents its lines
    for m in re.finditer(r"^(\d+\.\d+(?:\.\d+)?)\. (.+?)\n\n((?:    .*\n|\n)+)", body, re.M):
        paragraph = re.split(r"\n\s*\n", m.group(3).strip("\n"))[0]
        yield m.group(2).strip(), paragraph


def join_wrapped(lines, chinese):
    return ("" if chinese else " ").join(l.strip() for l in lines.splitlines())


def first_sentences(text, limit):
    out = ""
    for sentence in re.findall(r".+?(?:[。！？]|[.!?](?:\s|$)|$)", text):
        if out and len(out) + len(sentence) > limit:
            break
        out += sentence
    return out.strip()


def faq_records(source, chinese, heldout_text):
    path = glob.glob(os.path.join(corpus, source, "**/*.txt.gz"), recursive=True)[0]
    for question, paragraph in faq_sections(path):
        question = join_wrapped(question, chinese) if "\n" in question else question
        if not question.endswith(("？", "?")) or question in heldout_text:
            continue
        answer = first_sentences(join_wrapped(paragraph, chinese), 120 if chinese else 240)
        if len(answer) < 8 or "(" in answer[:1]:
            continue
        for template in rng.sample(ASK_FAQ_ZH if chinese else ASK_FAQ_EN, 2):
            yield "faq", template.format(q=question), answer


skip_ids, heldout_text = held_out()
records = list(man_records(skip_ids)) + list(faq_records("debian-faq-zh-cn", True, heldout_text)) \
    + list(faq_records("debian-faq", False, heldout_text))
for n, (category, question, answer) in enumerate(records, 1):
    print(json.dumps({"id": f"inst-{n:05d}", "category": category, "instruction": question, "output": answer},
                     ensure_ascii=False))
