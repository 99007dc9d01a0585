// The conversations every tokenizer template renders: with and without a system prompt, multi-turn, reasoning
// (as reasoning_content and inline), tool calls (OpenAI style), whitespace and characters that templates treat specially.

const user = (content) => ({ role: "user", content });
const assistant = (content, extra = {}) => ({ role: "assistant", content, ...extra });
const system = (content) => ({ role: "system", content });
const tool = (content, extra = {}) => ({ role: "tool", content, ...extra });

const call = (name, args, id) => ({ id, type: "function", function: { name, arguments: args } });

export const tools = [
  {
    type: "function",
    function: {
      name: "get_order_status",
      description: "查询订单状态 (look up an order)",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string", description: "订单号, e.g. \"A-1001\"" } },
        required: ["order_id"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "refund",
      description: "Start a refund",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string" }, amount: { type: "number" }, express: { type: "boolean" } },
        required: ["order_id", "amount"],
      },
    },
  },
];

export const conversations = [
  { id: "single_turn", messages: [user("什么时候发货？"), assistant("下单后 48 小时内发货。")] },
  { id: "system_prompt", messages: [system("你是一家网店的客服助手。"), user("可以开发票吗？"), assistant("可以，请在订单页申请电子发票。")] },
  {
    id: "multi_turn",
    messages: [user("Hi! Do you ship abroad?"), assistant("Yes, to 30 countries."), user("How long to Germany?"), assistant("Usually 7-10 days.")],
  },
  {
    id: "system_multi_turn",
    messages: [system("Answer briefly."), user("退货要多久？"), assistant("7 天内。"), user("运费谁出？"), assistant("质量问题由我们承担。")],
  },
  { id: "prompt_only", messages: [user("你好")] },
  { id: "system_and_prompt", messages: [system("你是助手。"), user("介绍一下你自己")] },
  { id: "ends_with_user", messages: [user("第一个问题"), assistant("第一个回答"), user("第二个问题")] },
  {
    id: "reasoning_content",
    messages: [user("2+3*4=?"), assistant("答案是 14。", { reasoning_content: "先算乘法 3*4=12，再加 2。" })],
  },
  { id: "reasoning_inline", messages: [user("Is 17 prime?"), assistant("<think>\nCheck divisors up to 4.\n</think>\n\nYes, 17 is prime.")] },
  {
    id: "reasoning_history",
    messages: [
      user("第一题：1+1"),
      assistant("等于 2。", { reasoning_content: "很简单。" }),
      user("第二题：2+2"),
      assistant("等于 4。", { reasoning_content: "也很简单。" }),
    ],
  },
  {
    id: "reasoning_last_only",
    messages: [user("Q1"), assistant("A1"), user("Q2"), assistant("A2", { reasoning_content: "Think about Q2." })],
  },
  {
    id: "reasoning_spaces",
    messages: [user("spaces"), assistant("  answer with spaces  ", { reasoning_content: "  reasoning with spaces  " })],
  },
  { id: "whitespace", messages: [system("  padded system  "), user("\n  leading and trailing  \n"), assistant("\n\nanswer after blank lines\n")] },
  {
    id: "special_characters",
    messages: [
      user("Quotes ' \" backslash \\ tab\t and {{ braces }} {% tags %} <b>html</b> & emoji 😀🎉 中文"),
      assistant("Reply with \\n literally and a real\nnewline, plus </s> lookalike text."),
    ],
  },
  { id: "empty_answer", messages: [user("Say nothing."), assistant("")] },
  { id: "two_system_messages", messages: [system("Rule one."), system("Rule two."), user("Go."), assistant("Done.")] },
  {
    id: "tool_call_null_content",
    tools,
    messages: [
      user("订单 A-1001 到哪了？"),
      assistant(null, { tool_calls: [call("get_order_status", "{\"order_id\": \"A-1001\"}", "call_1")] }),
      tool("{\"status\": \"shipped\", \"eta\": \"2025-01-03\"}", { tool_call_id: "call_1", name: "get_order_status" }),
      assistant("您的订单已发货，预计 1 月 3 日送达。"),
    ],
  },
  {
    id: "tool_call_empty_content",
    tools,
    messages: [
      user("Where is order A-1001?"),
      assistant("", { tool_calls: [call("get_order_status", { order_id: "A-1001" }, "call_1")] }),
      tool("{\"status\": \"shipped\"}", { tool_call_id: "call_1" }),
      assistant("It has shipped."),
    ],
  },
  {
    id: "parallel_tool_calls",
    tools,
    messages: [
      system("Use tools when needed."),
      user("Refund A-1 and check A-2."),
      assistant(null, {
        tool_calls: [call("refund", "{\"order_id\": \"A-1\", \"amount\": 12.5}", "c1"), call("get_order_status", "{\"order_id\": \"A-2\"}", "c2")],
      }),
      tool("{\"ok\": true}", { tool_call_id: "c1" }),
      tool("{\"status\": \"processing\"}", { tool_call_id: "c2" }),
      assistant("Refund started; A-2 is still processing."),
    ],
  },
  {
    id: "tool_call_with_text",
    tools,
    messages: [
      user("Check A-3 please"),
      assistant("Let me check.", { tool_calls: [call("get_order_status", { order_id: "A-3" }, "c3")] }),
      tool("{\"status\": \"delivered\"}", { tool_call_id: "c3" }),
    ],
  },
  { id: "tools_no_call", tools, messages: [system("你可以使用工具。"), user("你好"), assistant("你好！有什么可以帮您？")] },
];
