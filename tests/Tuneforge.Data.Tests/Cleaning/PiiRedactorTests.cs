using Tuneforge.Data.Cleaning.Pii;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Cleaning;

public class PiiRedactorTests
{
    static readonly PiiRedactor All = new(Enum.GetValues<PiiKind>());

    [Theory]
    [InlineData("邮箱zhangsan@example.com谢谢", "邮箱[EMAIL]谢谢")]
    [InlineData("Mail me: first.last+tag@mail.example.co.uk.", "Mail me: [EMAIL].")]
    [InlineData("手机13800138000", "手机[PHONE]")]
    [InlineData("电话138-0013-8000，谢谢", "电话[PHONE]，谢谢")]
    [InlineData("call +86 137 0000 1234 now", "call [PHONE] now")]
    [InlineData("座机010-12345678转", "座机[PHONE]转")]
    [InlineData("(021)87654321", "[PHONE]")]
    [InlineData("US: +1 (555) 123-4567", "US: [PHONE]")]
    [InlineData("UK +44 20 7946 0958", "UK [PHONE]")]
    [InlineData("office (212) 555-0199", "office [PHONE]")]
    [InlineData("身份证11010519491231002X", "身份证[CN_ID]")]
    [InlineData("ID 440300199003071234 ok", "ID [CN_ID] ok")]
    [InlineData("卡号4111 1111 1111 1111", "卡号[BANK_CARD]")]
    [InlineData("card 5500-0000-0000-0004", "card [BANK_CARD]")]
    [InlineData("银联6212345678901232", "银联[BANK_CARD]")]
    [InlineData("amex 378282246310005.", "amex [BANK_CARD].")]
    [InlineData("服务器192.168.1.10连不上", "服务器[IP]连不上")]
    [InlineData("from 10.0.0.1:8080", "from [IP]:8080")]
    [InlineData("v6 2001:db8::1 and fe80::1ff:fe23:4567:890a", "v6 [IP] and [IP]")]
    [InlineData("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", "full [IP].")]
    public void Redacts_each_kind_with_its_placeholder(string text, string expected) =>
        Assert.Equal(expected, All.Redact(text));

    [Theory]
    [InlineData("订单号20231105123456789")]                  // order number (digits around a mobile-like run)
    [InlineData("订单号：4111111111111111")]                  // Luhn-valid, but named an order number
    [InlineData("运单 SF1380013800012")]                     // tracking number with a mobile inside
    [InlineData("YT13812345678 已签收")]
    [InlineData("110105194912310021")]                      // 18 digits, wrong check character
    [InlineData("110105194913310028")]                      // month 13
    [InlineData("4111 1111 1111 1112")]                     // Luhn fails
    [InlineData("9111111111111111")]                        // Luhn passes, no issuer starts with 9
    [InlineData("12800138000")]                             // 12x is no mobile prefix
    [InlineData("138001380001")]                            // 12 digits
    [InlineData("客服热线400-820-1234")]                     // company hotline
    [InlineData("toll free 800-555-0199")]
    [InlineData("2023-11-05 12:30:45 下单")]                 // date and time
    [InlineData("2023.11.05")]
    [InlineData("version v1.2.3.4 and 10.0.401 and 1.2.3")]  // versions
    [InlineData("256.1.1.1 and 1.2.3.4.5")]                 // not IPv4
    [InlineData("std::vector<int> and a::b")]               // code, not IPv6
    [InlineData("price 13800 yuan, weight 1.5kg")]
    [InlineData("user@localhost and @handle")]              // no domain with a TLD
    public void Leaves_look_alikes_alone(string text) => Assert.Equal(text, All.Redact(text));

    [Fact]
    public void Only_the_chosen_kinds_are_redacted_and_counted()
    {
        var redactor = new PiiRedactor([PiiKind.Email]);
        var counts = new Dictionary<PiiKind, int>();
        Assert.Equal("[EMAIL] 或 13800138000 或 [EMAIL]", redactor.Redact("a@b.cn 或 13800138000 或 c@d.com", counts));
        Assert.Equal(new Dictionary<PiiKind, int> { [PiiKind.Email] = 2 }, counts);
    }

    [Fact]
    public void An_id_number_is_not_also_a_phone_or_card()
    {
        var found = All.Find("11010519491231002X 13800138000");
        Assert.Equal([new PiiMatch(0, 18, PiiKind.CnId), new PiiMatch(19, 11, PiiKind.Phone)], found);
    }

    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("440300199003071234", true)]
    [InlineData("320106200111114567", true)]
    [InlineData("110105194912310021", false)]
    [InlineData("110105190002290012", false)] // 1900 was not a leap year
    public void Resident_id_checksum_and_date(string id, bool valid) => Assert.Equal(valid, ChineseIdNumber.IsValid(id));

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    public void Luhn(string digits, bool valid) => Assert.Equal(valid, BankCardNumber.PassesLuhn(digits));
}
