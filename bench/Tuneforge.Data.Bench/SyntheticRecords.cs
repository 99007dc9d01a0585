using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;

namespace Tuneforge.Data.Bench;

/// <summary>Customer-support-like JSONL records: Chinese questions and answers from templates plus random text,
/// with the noise of real logs: 4% exact duplicates, 4% near duplicates (an edit at the end), 1% conflicting
/// answers, 1% empty answers, 1% unusable records. Deterministic for a seed.</summary>
internal static class SyntheticRecords
{
    static readonly string[] Categories = ["订单", "退款", "物流", "账户", "售后", "发票"];
    static readonly string[] QuestionTemplates =
    [
        "请问{0}怎么办？", "你好，{0}可以吗", "{0}多久能处理好", "我想问一下{0}", "客服，{0}是什么情况", "麻烦帮我看看{0}",
        "{0}需要什么材料？", "为什么{0}还没有结果", "{0}能不能加急", "在吗？关于{0}的问题",
    ];
    static readonly string[] AnswerTemplates =
    [
        "您好，{0}，请在订单详情里查看。", "这个问题{0}，一般1-3个工作日处理完成。", "{0}，如有疑问请联系在线客服。",
        "已为您登记：{0}，处理结果会短信通知您。", "抱歉给您带来不便，{0}。", "根据店铺规则，{0}。",
    ];

    // Common characters to draw random words from.
    static readonly string Alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";

    public static void Write(string path, int count, int seed)
    {
        var random = new Random(seed);
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        var recent = new List<(string Q, string A, string C)>(1024);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            string question, answer, category;
            if (roll < 4 && recent.Count > 0)
                (question, answer, category) = recent[random.Next(recent.Count)];                      // exact duplicate
            else if (roll < 8 && recent.Count > 0)
            {
                var (q, a, c) = recent[random.Next(recent.Count)];
                (question, answer, category) = (q, a.TrimEnd('。') + "！", c);                          // near duplicate
            }
            else if (roll < 9 && recent.Count > 0)
            {
                var (q, _, c) = recent[random.Next(recent.Count)];
                (question, answer, category) = (q, Fill(random, AnswerTemplates, 8, 24), c);         // conflicting answer
            }
            else if (roll < 10)
                (question, answer, category) = (Fill(random, QuestionTemplates, 4, 16), roll % 2 == 0 ? "" : "   ", Categories[random.Next(6)]);
            else if (roll < 11)
            {
                writer.Write("{\"id\":\"s");
                writer.Write(i);
                writer.Write("\",\"instruction\":\"缺少回答\"}\n");                                      // unusable: no answer
                continue;
            }
            else
                (question, answer, category) = (Fill(random, QuestionTemplates, 4, 16), Fill(random, AnswerTemplates, 8, 40), Categories[random.Next(6)]);
            if (recent.Count < 1024) recent.Add((question, answer, category));
            else recent[random.Next(1024)] = (question, answer, category);
            writer.Write(JsonSerializer.Serialize(new Record($"s{i}", category, question, answer), options));
            writer.Write('\n');
        }
    }

    static string Fill(Random random, string[] templates, int min, int max)
    {
        var length = random.Next(min, max + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++) text.Append(Alphabet[random.Next(Alphabet.Length)]);
        return string.Format(templates[random.Next(templates.Length)], text);
    }

    sealed record Record(string id, string category, string instruction, string output);
}
