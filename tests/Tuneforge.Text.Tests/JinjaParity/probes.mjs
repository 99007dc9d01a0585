// Small templates that each exercise one corner of the Jinja subset chat templates use. Both renderers run them; where
// @huggingface/jinja and Python's Jinja2 disagree, the fixture says so and Tuneforge follows Jinja2 (what transformers runs).

const msgs = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Hello World" },
  { role: "assistant", content: "Hi there", tool_calls: [{ type: "function", function: { name: "f", arguments: { a: 1, b: "x" } } }] },
  { role: "user", content: "ÉCOLE café 😀" },
];
const people = [
  { name: "bob", age: 31, tags: ["a", "b"], address: { city: "Oslo" } },
  { name: "Alice", age: 25, tags: [], address: { city: "Bergen" } },
  { name: "carol", age: 31, tags: ["c"], address: { city: "Oslo" } },
];

export const probes = [
  // whitespace control, as transformers sets Jinja2 up (trim_blocks, lstrip_blocks)
  { id: "ws_trim_lstrip", template: "start\n  {% if true %}\n    inner\n  {% endif %}\nend\n" },
  { id: "ws_minus", template: "a   {%- if true -%}   b   {%- endif -%}   c" },
  { id: "ws_minus_expression", template: "x  \n  {{- 'y' -}}  \n  z" },
  { id: "ws_plus", template: "line\n    {%+ if true %}kept indent{% endif +%}\nnext" },
  { id: "ws_comments", template: "a\n  {# comment #}\nb\n{#- stripped -#}\n  c" },
  { id: "ws_raw", template: "{% raw %}{{ not rendered }} {% if %}{% endraw %}|done" },
  { id: "ws_trailing_newline", template: "one trailing newline goes\n" },
  { id: "ws_crlf", template: "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc" },
  { id: "ws_inline_tags", template: "x {% if true %}y{% endif %} z\n  {{ 'v' }} {% for i in [1] %}{{ i }}{% endfor %}\n" },
  // printing values
  { id: "print_values", template: "{{ none }}|{{ true }}|{{ false }}|{{ 42 }}|{{ -7 }}|{{ 'text' }}|{{ undefined_name }}|" },
  { id: "print_floats", template: "{{ 1.0 }}|{{ 0.1 }}|{{ 2.5e-5 }}|{{ 1e16 }}|{{ 123456789012345.6 }}|{{ 10/4 }}|{{ 1/3 }}|{{ -0.0 }}|{{ 3 * 1.5 }}" },
  { id: "print_containers", template: "{{ [1, 'a', none, true, 2.5] }}|{{ {'k': 'v', 'n': [1, 2]} }}|{{ (1,) }}|{{ (1, 'b') }}|{{ [] }}|{{ {} }}|{{ [\"it's\"] }}" },
  { id: "print_escapes", template: "{{ 'tab\\there' }}|{{ \"quote\\\"s\" }}|{{ '\\u4e2d\\x41' }}|{{ 'back\\\\slash' }}|{{ ['a\\nb', 'c\\\\d'] }}" },
  { id: "print_namespace", template: "{% set ns = namespace(a=1, b='x') %}{{ ns.a }}{{ ns.b }}{{ ns.missing }}|" },
  // arithmetic and operators
  { id: "arith_ints", template: "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7 / 7 }} {{ 1 + 2 * 3 - 4 }}" },
  { id: "arith_floats", template: "{{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 0.1 + 0.2 }} {{ 2 ** 0.5 }} {{ 1e3 }} {{ 3 - 0.5 }}" },
  { id: "arith_strings_lists", template: "{{ 'ab' * 3 }}|{{ 'a' + 'b' }}|{{ [1] + [2, 3] }}|{{ 'x' ~ 1 ~ none ~ true }}|{{ 3 * 'z' }}" },
  { id: "arith_precedence", template: "{{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ - 3|abs }} {{ not true or true }} {{ 1 + 2 ~ 3 }} {{ 10 - 2 - 3 }}" },
  { id: "compare_chain", template: "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ '1' == 1 }} {{ [1, 2] == [1, 2] }} {{ 'a' < 'b' }} {{ none == none }} {{ x == none }}" },
  { id: "membership", template: "{{ 'ell' in 'hello' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'abc' }} {{ 3 not in [1] }} {{ 'a' in [] }}" },
  { id: "logic_values", template: "{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ [] or [1] }} {{ none or '' or 'last' }} {{ 1 and 0 }} {{ not '' }} {{ not [] }}" },
  { id: "ternary", template: "{{ 'y' if true else 'n' }}|{{ 'y' if false }}|{{ 'a' if 0 else 'b' if 1 else 'c' }}|{{ ('p' if x is defined else 'q') ~ '!' }}" },
  // strings
  { id: "str_strip", template: "[{{ '  x  '.strip() }}][{{ 'xxaxx'.strip('x') }}][{{ '\\n\\nab\\n'.lstrip('\\n') }}][{{ 'ab  '.rstrip() }}][{{ ' \\t a'.lstrip() }}][{{ '--a--'.rstrip('-') }}]" },
  { id: "str_split", template: "{{ 'a,b,,c'.split(',') }}|{{ ' a  b \\n c '.split() }}|{{ 'a-b-c'.split('-', 1) }}|{{ 'a-b-c'.rsplit('-', 1) }}|{{ 'x</think>y'.split('</think>')[-1] }}|{{ 'l1\\nl2\\r\\nl3'.splitlines() }}" },
  { id: "str_predicates", template: "{{ 'abc'.startswith('a') }} {{ 'abc'.startswith(('x', 'ab')) }} {{ 'abc'.endswith('bc') }} {{ 'abcabc'.find('c') }} {{ 'abc'.find('z') }} {{ 'aaa'.count('a') }} {{ 'abc'.rfind('c') }}" },
  { id: "str_case", template: "{{ 'hello wORLD'.title() }}|{{ 'hELLO'.capitalize() }}|{{ 'MiXed'.upper() }}|{{ 'MiXed'.lower() }}|{{ \"they're bill's\".title() }}|{{ 'école'.upper() }}" },
  { id: "str_replace_join", template: "{{ 'a-b-c'.replace('-', '+') }}|{{ 'a-b-c'.replace('-', '+', 1) }}|{{ ', '.join(['x', 'y']) }}|{{ 'prefix-x'.removeprefix('prefix-') }}|{{ 'x.txt'.removesuffix('.txt') }}" },
  { id: "str_index_slice", template: "{{ 'héllo'[1] }}{{ 'abc'[-1] }}|{{ 'abcdef'[1:4] }}|{{ 'abc'[::-1] }}|{{ '😀ab😀'[1:] }}|{{ '😀ab'|length }}|{{ 'abc'[5] }}|" },
  { id: "str_predicates_is", template: "{{ 'abc'.isalpha() }} {{ '123'.isdigit() }} {{ '  '.isspace() }} {{ 'abc'.islower() }} {{ 'ABC'.isupper() }} {{ 'a1'.isalnum() }}" },
  // lists and dicts
  { id: "list_slices", template: "{{ [1,2,3,4][1:] }} {{ [1,2,3,4][:-1] }} {{ [1,2,3,4][::2] }} {{ [1,2,3,4][::-1] }} {{ [1,2,3][-1] }} {{ [1,2,3][10] }}|{{ [1,2,3][5:] }}" },
  { id: "dict_access", template: "{{ d.a }} {{ d['b'] }} {{ d.get('c', 'dflt') }} {{ d.get('a') }} {{ d.missing }}|{{ d['missing'] }}|{{ d.items()|list }} {{ d.keys()|list }} {{ d.values()|list }}", variables: { d: { a: 1, b: "two" } } },
  { id: "dict_iteration", template: "{% for k in d %}{{ k }},{% endfor %}|{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% for k, v in d|items %}{{ k }}{% endfor %}|{% for k, v in d|dictsort %}{{ k }}{% endfor %}", variables: { d: { zeta: 1, alpha: 2, Mid: 3 } } },
  { id: "message_fields", template: "{% for m in messages %}{{ m.role }}:{{ m['content'] }}|{{ m.tool_calls is defined }}|{{ m.name is defined }}\n{% endfor %}", variables: { messages: msgs } },
  // filters
  { id: "filter_text", template: "{{ '  t  '|trim }}|{{ 'xxtxx'|trim('x') }}|{{ 'ab'|upper }}|{{ 'AB'|lower }}|{{ 'hello-world foo'|title }}|{{ 'hELLO wORLD'|capitalize }}|{{ 'a b  c'|wordcount }}" },
  { id: "filter_length_first_last", template: "{{ [1,2,3]|length }} {{ 'abc'|length }} {{ {'a': 1}|length }} {{ [1,2,3]|first }} {{ [1,2,3]|last }} {{ 'xyz'|first }} {{ []|first }}|{{ [1,2]|count }}" },
  { id: "filter_default", template: "{{ x|default('d') }} {{ ''|default('d') }} {{ ''|default('d', true) }} {{ none|default('d') }} {{ 0|d('z', boolean=true) }} {{ 'v'|default('d') }}" },
  { id: "filter_join_list", template: "{{ ['a', 'b']|join }}|{{ ['a', 'b']|join(', ') }}|{{ [1, none, true]|join('-') }}|{{ people|join(',', attribute='name') }}|{{ 'abc'|list }}|{{ {'k': 1, 'j': 2}|list }}", variables: { people } },
  { id: "filter_sort", template: "{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'a', 'C']|sort }} {{ ['b', 'A', 'a']|sort(case_sensitive=true) }} {{ [3, 1, 2]|sort(reverse=true) }} {{ people|sort(attribute='age')|map(attribute='name')|list }} {{ people|sort(attribute='name')|map(attribute='name')|join(',') }}", variables: { people } },
  { id: "filter_dictsort_unique", template: "{{ {'b': 1, 'A': 2, 'c': 0}|dictsort }} {{ {'b': 1, 'A': 2}|dictsort(true) }} {{ {'b': 1, 'a': 2, 'c': 0}|dictsort(by='value') }} {{ ['a', 'A', 'b', 'a']|unique|list }} {{ [1, 2, 1, 3]|unique|list }}" },
  { id: "filter_min_max_sum", template: "{{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A', 'c']|max }} {{ [1, 2, 3]|sum }} {{ people|sum(attribute='age') }} {{ people|max(attribute='age')|attr('name') }}|{{ [1.5, 2]|sum }}", variables: { people } },
  { id: "filter_map_select", template: "{{ people|map(attribute='name')|list }} {{ people|map(attribute='address.city')|list }} {{ ['a', 'b']|map('upper')|list }} {{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('even')|list }} {{ [0, 1, '', 'x']|select|list }} {{ people|map(attribute='zip', default='-')|list }}", variables: { people } },
  { id: "filter_selectattr", template: "{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|list }} {{ messages|rejectattr('role', 'eq', 'user')|map(attribute='role')|list }} {{ messages|selectattr('tool_calls')|list|length }} {{ messages|selectattr('tool_calls', 'defined')|list|length }} {{ people|selectattr('age', 'gt', 30)|map(attribute='name')|join }}", variables: { messages: msgs, people } },
  { id: "filter_tojson", template: "{{ d|tojson }}\n{{ d|tojson(indent=2) }}\n{{ d|tojson(sort_keys=true) }}\n{{ d|tojson(separators=(',', ':')) }}\n{{ d|tojson(ensure_ascii=true) }}\n{{ 'x'|tojson }} {{ none|tojson }} {{ true|tojson }} {{ 1.5|tojson }} {{ 3|tojson }} {{ [1, [2, {}], []]|tojson(indent=1) }}", variables: { d: { name: "订单", n: 12.5, ok: true, none: null, list: [1, "é\n\t\"\\", { k: [] }], "😀": "emoji\u0001" } } },
  { id: "filter_tojson_tools", template: "{% for tool in tools %}{{ tool|tojson }}\n{{ tool.function|tojson(indent=4) }}\n{% endfor %}", variables: { tools: [{ type: "function", function: { name: "get", description: "取 \"x\"", parameters: { type: "object", properties: { q: { type: "string", enum: ["a", "b"] } }, required: ["q"] } } }] } },
  { id: "filter_indent", template: "{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}|{{ 'x\\ny'|indent('> ') }}" },
  { id: "filter_numbers", template: "{{ '42'|int }} {{ '4.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ '2.5'|float }} {{ 'y'|float }} {{ 2|float }} {{ -3|abs }} {{ 2.567|round(2) }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.1|round(method='ceil') }} {{ true|int }}" },
  { id: "filter_misc", template: "{{ '<a href=\"x\">&</a>'|e }}|{{ 'a-b'|replace('-', '+') }}|{{ [1, 2]|reverse|list }}|{{ 'abc'|reverse }}|{{ 42|string ~ '!' }}|{{ 'x'|safe }}|{{ d|attr('items') is callable }}", variables: { d: { a: 1 } } },
  { id: "filter_block_set_block", template: "{% filter upper %}up {{ 'x' }}{% endfilter %}|{% set text %}  block {{ 1 + 1 }}  {% endset %}[{{ text }}]|{% set t2 | trim | upper %}  trimmed  {% endset %}[{{ t2 }}]" },
  // tests
  { id: "tests_types", template: "{{ x is defined }} {{ x is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1.5 is float }} {{ 1 is integer }} {{ true is boolean }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ [] is sequence }} {{ 3 is odd }} {{ 4 is even }} {{ true is true }} {{ 0 is false }}" },
  { id: "tests_args", template: "{{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }} {{ 'a' is eq 'a' }} {{ 2 is gt 1 }} {{ 2 is le(1) }} {{ 'b' is in 'abc' }} {{ 1 is in [2] }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ none is sameas none }} {{ x is not defined }} {{ 'tojson' is filter }} {{ 'odd' is test }}" },
  // loops
  { id: "loop_variables", template: "{% for m in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.previtem }}{{ loop.nextitem }}{{ loop.cycle('x', 'y') }};{% endfor %}" },
  { id: "loop_else_filter", template: "{% for x in [] %}{{ x }}{% else %}empty{% endfor %}|{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.index }}/{{ loop.length }},{% endfor %}|{% for x in [1] if x > 5 %}{{ x }}{% else %}none passed{% endfor %}" },
  { id: "loop_break_continue", template: "{% for x in range(10) %}{% if x is odd %}{% continue %}{% endif %}{% if x > 6 %}{% break %}{% endif %}{{ x }}{% endfor %}" },
  { id: "loop_unpack_nested", template: "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}|{% for row in [[1, 2], [3]] %}{% for c in row %}{{ loop.index }}{{ c }}{% endfor %};{% endfor %}|{% for c in 'hé' %}{{ c }}.{% endfor %}" },
  { id: "loop_scoping", template: "{% set x = 'outer' %}{% for i in [1, 2] %}{{ x }}{% set x = 'inner' ~ i %}{{ x }}|{% endfor %}{{ x }}|{% for i in [1] %}{% set leaked = 1 %}{% endfor %}{{ leaked }}|{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}" },
  { id: "loop_scoping_iterations", template: "{% for i in [1, 2, 3] %}{% if i == 1 %}{% set seen = 'first' %}{% endif %}[{{ seen }}]{% endfor %}" },
  { id: "loop_reverse_messages", template: "{% for m in messages[::-1] %}{{ (messages|length - 1) - loop.index0 }}{{ m.role[0] }} {% endfor %}", variables: { messages: msgs } },
  { id: "loop_range", template: "{{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ range(5, 0, -2)|list }} {% for i in range(2) %}{{ i }}{% endfor %}" },
  // macros and calls
  { id: "macro_basic", template: "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(punct='.', name='C') }} {{ greet() }}" },
  { id: "macro_varargs_kwargs", template: "{% macro f(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ f(1) }}|{{ f(1, 2, 3, k='v') }}" },
  { id: "macro_globals_and_caller", template: "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}{{ bos_token }}inside{% endcall %}|{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(x) each([1, 2]) %}[{{ x * 10 }}]{% endcall %}", variables: { bos_token: "<s>" } },
  { id: "macro_render_tool", template: "{%- macro render_arg(name, spec) -%}\n  {{- name }}: {{ spec.type }}{% if spec.enum is defined %} ({{ spec.enum|join('|') }}){% endif %}\n{%- endmacro -%}\n{%- for name, spec in params.properties|items %}\n{{ render_arg(name, spec) }}\n{% endfor %}", variables: { params: { type: "object", properties: { q: { type: "string", enum: ["a", "b"] }, n: { type: "integer" } } } } },
  { id: "macro_reads_later_set", template: "{% macro m() %}{{ y }}{% endmacro %}{% set y = 5 %}{{ m() }}" },
  // set forms
  { id: "set_forms", template: "{% set a, b = 1, 2 %}{{ a }}{{ b }}|{% set t = (1, 2) %}{{ t }}|{% set l = [1, 2] %}{{ l }}|{% set s = 'x' ~ 'y' %}{{ s }}|{% set d = {'k': 1} %}{{ d.k }}" },
  { id: "generation_tags", template: "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}</s>{% endgeneration %}{% else %}[{{ m.content }}]{% endif %}\n{% endfor %}", variables: { messages: msgs } },
  // errors
  { id: "error_raise_exception", template: "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with a user message, got ' ~ messages[0].role) }}{% endif %}ok", variables: { messages: msgs } },
  { id: "error_none_concat", template: "{{ 'a' + none }}" },
  { id: "error_undefined_attribute", template: "{{ missing.attribute }}" },
  { id: "error_index_empty_list", template: "{{ messages[0].role }}", variables: { messages: [] } },
  { id: "error_int_plus_str", template: "{{ 1 + 'a' }}" },
];
