"""Renders chat templates with Python's Jinja2 exactly as transformers sets it up (the renderer models are trained with).

Reads {"templates": {id: text}, "cases": [{"template": id, "variables": {...}}]} on stdin and writes one result per case,
{"output": text} or {"error": message, "raised": bool}, as a JSON list on stdout. Called by generate.mjs.
"""
import json
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment


class AssistantTracker(jinja2.ext.Extension):
    # transformers' {% generation %} tag: renders its body unchanged (the mask is built from it elsewhere).
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


class TemplateRaised(Exception):
    pass


def raise_exception(message):
    raise TemplateRaised(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def main():
    request = json.load(sys.stdin)
    env = environment()
    compiled = {}
    results = []
    for case in request["cases"]:
        key = case["template"]
        try:
            if key not in compiled:
                compiled[key] = env.from_string(request["templates"][key])
            results.append({"output": compiled[key].render(**case["variables"])})
        except TemplateRaised as e:
            results.append({"error": str(e), "raised": True})
        except Exception as e:  # noqa: BLE001 - every failure is a result to compare
            results.append({"error": f"{type(e).__name__}: {e}", "raised": False})
    json.dump(results, sys.stdout, ensure_ascii=False)


main()
