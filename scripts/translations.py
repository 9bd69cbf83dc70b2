#!/usr/bin/env python3
"""The translations in translations/*.ts: check them, list what is left, fill it in.

  translations.py check [TS...]       CI: exit 1 when a German or French entry is
                                      unfinished or loses a placeholder, tag or
                                      accelerator of its source, or an English
                                      plural entry is unfinished
  translations.py todo TS [OUT.json]  the unfinished entries of TS as JSON, one
                                      object per source text, for a translator
  translations.py fill TS IN.json     write the translations of IN.json into TS
                                      (the same objects as `todo`, "translation"
                                      filled: a string, or a list of plural forms;
                                      French gets its no-break spaces and ’ here)

After new strings land: build the `fabula_ui_lupdate` target (it adds them to
every .ts file as unfinished), run `todo` for fabula_de.ts and fabula_fr.ts,
translate the JSON, run `fill`, build `fabula_ui_lupdate` again (it rewrites
the files in its own layout) and `check`.

fabula_en.ts holds only plural forms: its other entries stay unfinished, so Qt
shows the source text; `check` requires only its plural entries.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = ("fabula_de.ts", "fabula_fr.ts")  # every entry translated
PLURALS_ONLY = ("fabula_en.ts",)  # only the numerus entries translated

# %1…%99 and %n for tr(), %v %m %p for a QProgressBar format.
PLACEHOLDER = re.compile(r"%L?(?:\d{1,2}|n)|%[vmp](?![A-Za-z])")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+);")


NBSP, NNBSP = "\u00a0", "\u202f"


def french_typography(text):
    """A no-break space before : and inside « », a narrow one before ; ! ? %, and ’ for '."""
    text = re.sub(r" :(?=\s|$|<)", NBSP + ":", text)
    text = re.sub(r" ([;!?])", NNBSP + r"\1", text)
    text = re.sub(r" %(?=$|[\s.,;:)])", NNBSP + "%", text)
    text = text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»").replace("'", "\u2019")
    return text


def is_french(root):
    return root.get("language", "").startswith("fr")


def accelerators(text):
    """The number of & mnemonics: && is a literal ampersand, &amp; an HTML entity."""
    text = ENTITY.sub("", text).replace("&&", "")
    return text.count("&")


def placeholders(text):
    return sorted(set(m.replace("%L", "%") for m in PLACEHOLDER.findall(text)))


def tags(text):
    return sorted(t.lower() for t in TAG.findall(text))


def messages(root):
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            yield name, message


def forms(message):
    translation = message.find("translation")
    if message.get("numerus") == "yes":
        return [f.text or "" for f in translation.iter("numerusform")]
    return [translation.text or ""]


def problems(path):
    root = ET.parse(path).getroot()
    complete = path.name in COMPLETE
    french = is_french(root)
    found = []
    for context, message in messages(root):
        source = message.findtext("source", "")
        translation = message.find("translation")
        numerus = message.get("numerus") == "yes"
        where = f"{path.name}: {context}: {source!r}"
        if translation.get("type") in ("vanished", "obsolete"):
            continue
        if not complete and not numerus:
            continue
        if translation.get("type") == "unfinished":
            found.append(f"{where}: unfinished")
            continue
        texts = forms(message)
        if not texts or any(not t.strip() for t in texts):
            found.append(f"{where}: empty translation")
            continue
        for text in texts:
            want = placeholders(source)
            got = placeholders(text)
            # A plural form may say "one" instead of %n (German "eine Datei").
            if numerus and "%n" in want and "%n" not in got:
                got = sorted(got + ["%n"])
            if want != got:
                found.append(f"{where}: placeholders {want} in the source, {got} in {text!r}")
            if tags(source) != tags(text):
                found.append(f"{where}: HTML tags {tags(source)} in the source, {tags(text)} in {text!r}")
            if french and french_typography(text) != text:
                found.append(f"{where}: French typography wants {french_typography(text)!r}, not {text!r}")
            if accelerators(source) != accelerators(text):
                found.append(f"{where}: {accelerators(source)} accelerator(s) & in the source, "
                             f"{accelerators(text)} in {text!r}")
    return found


def check(paths):
    paths = paths or [ROOT / "translations" / n for n in COMPLETE + PLURALS_ONLY]
    found = []
    for path in map(Path, paths):
        if not path.exists():
            found.append(f"{path}: missing")
            continue
        found += problems(path)
    for line in found:
        print(line)
    print(f"{len(found)} problem(s) in {len(paths)} file(s)")
    return 1 if found else 0


def todo(path, out):
    root = ET.parse(path).getroot()
    plurals_only = Path(path).name in PLURALS_ONLY
    entries = {}
    for context, message in messages(root):
        translation = message.find("translation")
        numerus = message.get("numerus") == "yes"
        if translation.get("type") != "unfinished" or (plurals_only and not numerus):
            continue
        source = message.findtext("source", "")
        key = (source, numerus, message.findtext("comment", ""))
        entry = entries.setdefault(key, {"source": source, "numerus": numerus, "contexts": [],
                                         "comment": key[2], "translation": forms(message) if numerus else ""})
        entry["contexts"].append(context)
    text = json.dumps(list(entries.values()), ensure_ascii=False, indent=1)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    print(f"{len(entries)} unfinished source text(s) in {path}", file=sys.stderr)
    return 0


def fill(path, data):
    entries = json.loads(Path(data).read_text(encoding="utf-8"))
    by_key = {}
    for e in entries:
        if not e.get("translation"):
            continue
        for context in e.get("contexts") or [None]:
            by_key[(context, e["source"], e.get("comment", ""))] = e["translation"]
    tree = ET.parse(path)
    french = is_french(tree.getroot())
    filled = 0
    for context, message in messages(tree.getroot()):
        source = message.findtext("source", "")
        comment = message.findtext("comment", "")
        value = by_key.get((context, source, comment), by_key.get((None, source, comment)))
        translation = message.find("translation")
        if value is None or translation.get("type") != "unfinished":
            continue
        numerus = message.get("numerus") == "yes"
        if french:
            value = [french_typography(v) for v in value] if isinstance(value, list) else french_typography(value)
        if numerus != isinstance(value, list):
            raise SystemExit(f"{path}: {source!r}: give {'a list of plural forms' if numerus else 'a string'}")
        for child in list(translation):
            translation.remove(child)
        if numerus:
            translation.text = None
            for form in value:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = value
        del translation.attrib["type"]
        filled += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    Path(path).write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                          encoding="utf-8")
    print(f"{filled} entr(ies) filled in {path}")
    return 0


def main(argv):
    if len(argv) >= 1 and argv[0] == "check":
        return check(argv[1:])
    if len(argv) in (2, 3) and argv[0] == "todo":
        return todo(argv[1], argv[2] if len(argv) == 3 else None)
    if len(argv) == 3 and argv[0] == "fill":
        return fill(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
