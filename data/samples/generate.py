#!/usr/bin/env python3
"""Writes support-zh.jsonl and support-en-chat.jsonl from the policies in POLICIES.md.

Deterministic (fixed seed): run it again and the files are byte-identical.
    python3 data/samples/generate.py
"""
import json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240601)

PRODUCTS = ["衣服", "鞋子", "耳机", "手机壳", "保温杯", "床单", "台灯", "背包", "T恤", "羽绒服", "充电宝", "电饭煲"]
PREFIXES = ["", "", "", "你好，", "您好，", "请问", "请问一下，", "客服你好，", "在吗？", "麻烦问下，", "亲，", "hi，", "客服，", "你好呀，"]
SUFFIXES = ["", "", "", "？", "？", "？谢谢", "，谢谢", "，急", "，在线等", "呢？", "啊？"]

# (category, policy, answer, question cores). {p} is a product name.
INTENTS = [
    ("售后", "P1", "支持7天无理由退货：签收后7天内、商品完好不影响二次销售即可申请，定制、生鲜和已拆封的贴身用品除外。", [
        "可以七天无理由退货吗", "买的{p}不想要了能退吗", "支持无理由退货吗", "{p}不喜欢可以退吗", "收到货不满意能退吗",
        "七天无理由怎么算", "{p}没用过能退货吗", "不合适可以退吗", "买错了{p}能退吗", "你们家支持7天无理由吗",
        "刚收到的{p}能不能退", "退货有什么条件"]),
    ("售后", "P2", "质量问题退货运费由我们承担；无理由退货运费由您承担，购买了运费险的可以申请理赔。", [
        "退货运费谁出", "退货要自己付运费吗", "{p}有质量问题退货运费怎么算", "无理由退货运费谁承担", "退回来的邮费谁付",
        "退{p}的运费你们出吗", "退货寄回的快递费谁出", "运费险能报销退货运费吗", "质量问题退货要我出运费吗"]),
    ("售后", "P3", "质量问题可以在签收后15天内申请换货，请在订单详情里提交换货申请并上传照片。", [
        "{p}有质量问题能换吗", "可以换货吗", "收到的{p}坏了能换一个吗", "{p}尺码不对能换吗", "换货怎么申请",
        "多久之内可以换货", "{p}有瑕疵想换新的", "质量问题换货期限是多久", "能给我换个新的{p}吗"]),
    ("售后", "P4", "电子产品保修一年，保修期内免费维修，来回运费由我们承担。", [
        "{p}保修多久", "耳机坏了能保修吗", "电子产品有质保吗", "保修期是多长时间", "{p}坏了可以免费修吗",
        "维修要钱吗", "保修寄修运费谁出", "质保一年吗", "充电宝用了两个月坏了怎么办"]),
    ("售后", "P5", "我们提供7天价保：付款后7天内降价，可以联系客服申请退还差价。", [
        "买完就降价了能补差价吗", "有价保吗", "{p}降价了能退差价吗", "价格保护几天", "刚买的{p}便宜了怎么办",
        "降价补差价怎么申请", "昨天买的今天降价了", "支持保价吗", "买贵了能退差价吗"]),
    ("退款", "P6", "退款会原路退回：微信支付退回微信，支付宝退回支付宝，银行卡退回原卡。", [
        "退款退到哪里", "钱会退到哪", "退款是原路返回吗", "我用微信付的退款到哪", "退款能退到支付宝吗",
        "用银行卡付的钱退回哪里", "退款退到余额还是原账户", "能退到别的卡上吗", "{p}的退款退到哪个账户"]),
    ("退款", "P7", "退款审核通过后1-3个工作日到账，请留意原支付账户。", [
        "退款多久到账", "钱什么时候能退回来", "退款几天到", "退款审核通过了怎么还没到账", "{p}的退款多久能收到",
        "退款要等多久", "一般几天能退款成功", "退款到账时间是多久", "周末申请的退款什么时候到", "退款怎么还没到"]),
    ("退款", "P8", "仓库收到退货后24小时内完成审核，审核通过后就会退款。", [
        "退货寄回去了什么时候退款", "退货什么时候审核", "仓库收到货多久退款", "{p}寄回去了多久处理", "退货审核要多久",
        "你们收到退货后多久审核", "退回的{p}签收了怎么还没退款", "退货审核一般几天"]),
    ("退款", "P9", "未发货前取消订单会自动全额退款，无需审核，立即原路退回。", [
        "还没发货取消订单钱怎么退", "没发货退款要审核吗", "取消订单后钱多久退", "没发货的{p}能直接退款吗", "未发货退款要等多久",
        "刚下单就取消了钱会退吗", "取消没发货的订单是全额退款吗", "拍错了取消订单怎么退钱"]),
    ("物流", "P10", "订单满99元包邮，不满99元收取8元运费。", [
        "运费怎么算", "包邮吗", "多少钱包邮", "买一个{p}包邮吗", "满多少包邮", "不满99元运费多少",
        "邮费多少钱", "你们家包不包邮", "买{p}要运费吗", "运费是多少", "凑单多少可以免运费"]),
    ("物流", "P11", "付款后48小时内发货，预售商品按商品页面写明的时间发货。", [
        "什么时候发货", "多久能发货", "下单后几天发货", "{p}什么时候发出", "付款了怎么还没发货",
        "今天拍的什么时候发", "预售的{p}什么时候发货", "发货要多久", "多长时间内发货", "拍下后多久发货"]),
    ("物流", "P12", "默认发中通快递，需要顺丰的话加10元即可。", [
        "发什么快递", "能发顺丰吗", "默认是哪家快递", "{p}用什么快递寄", "可以指定快递吗",
        "顺丰要加钱吗", "你们发哪个快递", "能不能改发顺丰", "快递是中通吗"]),
    ("物流", "P13", "发货后一般2-4天送达，偏远地区会稍慢一些。", [
        "几天能到", "发货后多久能收到", "快递要走几天", "{p}多久能送到", "一般几天到货",
        "发出后大概多久到", "物流要几天", "多久能收到货", "寄到北京要几天"]),
    ("物流", "P14", "暂不支持港澳台和海外配送；新疆、西藏运费20元，不参加包邮。", [
        "新疆包邮吗", "能寄到香港吗", "西藏运费多少", "发海外吗", "台湾能送吗",
        "寄新疆要加运费吗", "偏远地区包邮吗", "能寄到国外吗", "{p}能发到澳门吗"]),
    ("订单", "P15", "订单发货前可以在“我的订单”里修改地址、修改商品或取消订单。", [
        "怎么修改收货地址", "地址填错了怎么办", "下单后还能改地址吗", "想换一个{p}颜色怎么改", "订单能取消吗",
        "怎么取消订单", "还没发货能改地址吗", "订单里的{p}能换款吗", "收货人写错了能改吗", "想改一下订单"]),
    ("订单", "P16", "订单已发货后无法修改或取消，您可以拒收，或签收后申请退货。", [
        "已经发货了还能取消吗", "发货了能改地址吗", "已发货的订单怎么取消", "{p}已经发出了不想要了", "发货后能拦截吗",
        "订单显示已发货还能改吗", "已经发货了想退怎么办", "发出去了能不能撤回"]),
    ("订单", "P17", "未付款的订单30分钟后会自动取消，需要的话请重新下单。", [
        "没付款的订单怎么不见了", "下单没付钱会怎样", "订单多久不付款会取消", "忘记付款了怎么办", "未支付订单保留多久",
        "拍下{p}没付款还在吗", "待付款的订单能保留多久", "订单自动取消了是怎么回事"]),
    ("订单", "P18", "在“我的订单”里点开订单详情，就能看到订单状态和物流进度。", [
        "怎么查订单", "在哪看物流", "怎么看我的订单到哪了", "{p}的物流怎么查", "订单状态在哪里看",
        "怎么查快递单号", "我的包裹到哪了", "物流信息在哪看", "怎么知道发货没有"]),
    ("账户", "P19", "在登录页点“忘记密码”，用绑定手机收到的短信验证码即可重置密码。", [
        "忘记密码了怎么办", "密码怎么重置", "登录不上去了", "密码忘了怎么找回", "怎么修改登录密码",
        "账号密码想不起来了", "重置密码要什么", "密码错误登录不了"]),
    ("账户", "P20", "在“设置-账户与安全”里更换手机号，需要旧号码和新号码分别验证。", [
        "怎么换绑手机号", "手机号不用了怎么改", "绑定的手机能换吗", "换手机号要怎么操作", "账号绑定的号码怎么修改",
        "旧手机号停用了怎么换绑", "可以改绑定手机吗", "更换手机号在哪里"]),
    ("账户", "P21", "在“设置-账户与安全-注销账户”申请，7天冷静期后注销，积分和优惠券会清空。", [
        "怎么注销账号", "不想用了能注销吗", "注销账户在哪里", "账号注销后积分还在吗", "注销要多久",
        "怎么删除我的账号", "注销账号有冷静期吗", "注销了优惠券还能用吗"]),
    ("账户", "P22", "每消费1元得1积分，100积分抵1元，积分在次年年底过期。", [
        "积分怎么用", "积分能抵钱吗", "积分怎么算", "积分什么时候过期", "多少积分抵一块钱",
        "买{p}有积分吗", "积分有效期多久", "消费一块钱给多少积分", "积分怎么获得"]),
    ("发票", "P23", "可以开电子普通发票和增值税专用发票，下单时或订单完成后申请。", [
        "能开发票吗", "可以开专票吗", "你们开什么发票", "能开增值税专用发票吗", "买{p}可以开票吗",
        "支持开电子发票吗", "有没有纸质发票", "发票类型有哪些", "公司采购能开票吗"]),
    ("发票", "P24", "订单完成后30天内可以申请开票，超过30天就无法补开了。", [
        "发票多久之内能开", "上个月的订单还能开发票吗", "过了很久还能补开发票吗", "开票有时间限制吗", "发票最晚什么时候申请",
        "订单完成后还能开票吗", "两个月前的订单能开发票吗", "补开发票的期限是多久"]),
    ("发票", "P25", "电子发票会在1-3个工作日内发送到您填写的邮箱。", [
        "发票什么时候发给我", "电子发票多久能收到", "发票发到哪里", "申请了发票怎么还没收到", "电子发票怎么给我",
        "开票要几天", "发票会发邮箱吗", "发票多久能开好"]),
    ("发票", "P26", "开增值税专用发票需要提供公司名称、税号、地址、电话、开户行和账号。", [
        "开专票需要什么信息", "专用发票要提供什么", "开增值税专票要哪些资料", "公司开专票填什么", "专票需要税号吗",
        "开专票要营业执照吗", "专票资料有哪些"]),
    ("发票", "P27", "已开的发票可以在30天内申请换开一次，在订单详情里修改开票信息即可。", [
        "发票抬头写错了怎么办", "发票能重开吗", "发票信息填错了能改吗", "可以换开发票吗", "税号写错了怎么办",
        "想把个人发票换成公司的", "开错的发票能重新开吗"]),
    ("售后", "P28", "在线客服每天9:00-21:00在线，也可以拨打客服热线400-820-1234。", [
        "客服几点上班", "人工客服什么时候在", "怎么联系客服", "客服电话多少", "晚上有客服吗",
        "客服工作时间是几点到几点", "怎么找人工", "售后电话是多少"]),
]

# Questions whose answer depends on the order state given as input (alpaca's input field).
STATEFUL = [
    ("订单", "帮我看看这个订单还能改地址吗", "订单状态：待发货", "订单还没发货，可以在“我的订单”里直接修改收货地址。"),
    ("订单", "帮我看看这个订单还能改地址吗", "订单状态：已发货", "订单已经发货，地址无法修改，您可以拒收后重新下单。"),
    ("订单", "这个订单能取消吗", "订单状态：待付款", "待付款订单30分钟后会自动取消，也可以在“我的订单”里直接取消。"),
    ("订单", "这个订单能取消吗", "订单状态：待发货", "订单还没发货，可以在“我的订单”里取消，钱会全额原路退回。"),
    ("订单", "这个订单能取消吗", "订单状态：已发货", "订单已发货无法取消，您可以拒收，或签收后申请退货。"),
    ("物流", "这单要付运费吗", "订单金额：128元，收货地：上海", "订单满99元，包邮，不收运费。"),
    ("物流", "这单要付运费吗", "订单金额：56元，收货地：杭州", "订单不满99元，需要支付8元运费。"),
    ("物流", "这单要付运费吗", "订单金额：150元，收货地：新疆乌鲁木齐", "新疆地区不参加包邮，运费20元。"),
    ("售后", "这个还能退吗", "签收时间：3天前，商品未拆封", "签收未满7天且商品完好，可以申请7天无理由退货。"),
    ("售后", "这个还能退吗", "签收时间：10天前，商品未拆封", "已超过7天无理由退货期限，如有质量问题可联系客服处理。"),
    ("售后", "这个还能退吗", "签收时间：2天前，定制刻字商品", "定制商品不支持无理由退货，如有质量问题可以申请售后。"),
    ("发票", "这个订单还能开发票吗", "订单完成时间：10天前", "订单完成未满30天，可以在订单详情里申请开票。"),
    ("发票", "这个订单还能开发票吗", "订单完成时间：45天前", "订单完成已超过30天，无法再申请开票。"),
    ("退款", "我的退款到哪一步了", "退货状态：仓库已签收，待审核", "仓库已收到退货，会在24小时内审核，通过后1-3个工作日退款到账。"),
    ("退款", "我的退款到哪一步了", "退货状态：审核通过，退款中", "审核已通过，退款会在1-3个工作日内原路退回。"),
]
STATE_PREFIXES = ["", "你好，", "请问", "麻烦", "客服，"]

def question(core):
    text = core.replace("{p}", rng.choice(PRODUCTS))
    return rng.choice(PREFIXES) + text + rng.choice(SUFFIXES)

def main():
    records = []
    for category, policy, answer, cores in INTENTS:
        seen = set()
        target = 27
        tries = 0
        while len(seen) < target and tries < 2000:
            tries += 1
            q = question(rng.choice(cores))
            if q in seen:
                continue
            seen.add(q)
            records.append({"instruction": q, "output": answer, "category": category, "policy": policy})
    for category, instruction, state, answer in STATEFUL:
        for prefix in rng.sample(STATE_PREFIXES, 2):
            records.append({"instruction": prefix + instruction, "input": state, "output": answer, "category": category, "policy": "state"})
    rng.shuffle(records)

    noise = []
    # Exact duplicates: the same question and answer again (copied rows), some with another id.
    for r in rng.sample(records, 14):
        noise.append(dict(r))
    # Near duplicates: the same record with a small edit at the end of the answer (a particle, other punctuation).
    def nudge(text):
        edits = [lambda t: t.rstrip("。") + "！", lambda t: t.rstrip("。") + "哦。", lambda t: t.rstrip("。") + "~", lambda t: t + "😊"]
        return rng.choice(edits)(text)
    for r in rng.sample(records, 14):
        near = dict(r)
        near["output"] = nudge(r["output"])
        noise.append(near)
    # Empty answers (a support log where the agent never replied).
    for r in rng.sample(records, 6):
        noise.append({"instruction": r["instruction"] + "？", "output": "" if rng.random() < 0.5 else "   ", "category": r["category"], "policy": r["policy"]})
    # Fake personal data in questions (for clean.redact_pii).
    pii = [
        ("订单", "我的手机号是13800138000，帮我查下订单到哪了", "在“我的订单”里点开订单详情，就能看到订单状态和物流进度。", "P18"),
        ("账户", "我换了新号码139-0013-9000，怎么换绑", "在“设置-账户与安全”里更换手机号，需要旧号码和新号码分别验证。", "P20"),
        ("发票", "电子发票发到 zhangsan@example.com 可以吗", "电子发票会在1-3个工作日内发送到您填写的邮箱。", "P25"),
        ("发票", "发票邮箱写成了lisi.work@example.cn，多久能收到", "电子发票会在1-3个工作日内发送到您填写的邮箱。", "P25"),
        ("物流", "收件电话+86 137 0000 1234，能发顺丰吗", "默认发中通快递，需要顺丰的话加10元即可。", "P12"),
        ("账户", "忘记密码了，绑定的是15900001111", "在登录页点“忘记密码”，用绑定手机收到的短信验证码即可重置密码。", "P19"),
        ("退款", "退款能退到这张卡吗 6222 0200 1234 5678 903", "退款会原路退回：微信支付退回微信，支付宝退回支付宝，银行卡退回原卡。", "P6"),
        ("售后", "耳机坏了，联系邮箱wang_wu@example.org，能保修吗", "电子产品保修一年，保修期内免费维修，来回运费由我们承担。", "P4"),
    ]
    for category, q, a, policy in pii:
        noise.append({"instruction": q, "output": a, "category": category, "policy": policy})
    # Conflicting answers: a question asked before, answered against the policy (an agent's mistake).
    conflicts = [("P7", "退款3-5个工作日到账。"), ("P10", "满199元包邮。")]
    for policy, wrong in conflicts:
        asked = rng.choice([r for r in records if r["policy"] == policy])
        noise.append({"instruction": asked["instruction"], "output": wrong, "category": asked["category"], "policy": policy})
    # Messy whitespace that normalization fixes (not duplicates of anything).
    messy = [
        ("物流", "  发货后\u00a0多久能到  西藏？ ", "发货后一般2-4天送达，偏远地区会稍慢一些。", "P13"),
        ("订单", "订单\u200b怎么取消\r\n急", "订单发货前可以在“我的订单”里修改地址、修改商品或取消订单。", "P15"),
        ("账户", "积分\t\t怎么抵现", "每消费1元得1积分，100积分抵1元，积分在次年年底过期。", "P22"),
    ]
    for category, q, a, policy in messy:
        noise.append({"instruction": q, "output": a, "category": category, "policy": policy})

    for r in noise:
        records.insert(rng.randrange(len(records) // 4, len(records) + 1), r)

    with open(os.path.join(HERE, "support-zh.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for i, r in enumerate(records, 1):
            out = {"id": f"zh-{i:04d}", "category": r["category"], "instruction": r["instruction"]}
            if r.get("input"):
                out["input"] = r["input"]
            out["output"] = r["output"]
            out["policy"] = r["policy"]
            f.write(json.dumps(out, ensure_ascii=False) + "\n")
    print(f"support-zh.jsonl: {len(records)} records")
    write_english()

EN_SYSTEM = "You are the customer-service assistant of Xiaoman Living, an online shop. Answer briefly, following the shop's policies."
EN = [
    ("refunds", [("How long does a refund take?", "Refunds arrive 1-3 working days after approval, back to the original payment method."),
                 ("When will I get my money back?", "Refunds arrive 1-3 working days after approval, back to the original payment method."),
                 ("Where does my refund go?", "Refunds go back the way you paid: WeChat to WeChat, Alipay to Alipay, card to card."),
                 ("Can you refund to a different card?", "Refunds go back the way you paid: WeChat to WeChat, Alipay to Alipay, card to card."),
                 ("I sent the return back. When is it reviewed?", "Returns are reviewed within 24 hours after the warehouse receives them."),
                 ("I cancelled before it shipped. Do I get everything back?", "Yes. Orders cancelled before dispatch are refunded in full, automatically and at once.")]),
    ("shipping", [("Is shipping free?", "Shipping is free from 99 yuan; below that it costs 8 yuan."),
                  ("How much is delivery for a 50 yuan order?", "Below 99 yuan, shipping costs 8 yuan."),
                  ("When do you ship?", "Orders ship within 48 hours of payment; pre-sale items on the date shown on the product page."),
                  ("Which courier do you use?", "ZTO by default; SF Express for 10 yuan extra."),
                  ("How many days until it arrives?", "Usually 2-4 days after dispatch."),
                  ("Do you ship to Hong Kong?", "Sorry, we do not ship to Hong Kong, Macao, Taiwan or abroad."),
                  ("How much is shipping to Tibet?", "Shipping to Xinjiang and Tibet is 20 yuan, with no free shipping.")]),
    ("orders", [("How do I change my delivery address?", "Until the order ships, change it in My Orders."),
                ("Can I cancel my order?", "Yes, until it ships: cancel it in My Orders."),
                ("My order has shipped. Can I still cancel?", "Once shipped, an order cannot be changed or cancelled; refuse the parcel or return it after delivery."),
                ("What happens if I don't pay right away?", "Unpaid orders are cancelled automatically after 30 minutes."),
                ("Where can I track my parcel?", "Open My Orders, then the order details, to see its status and tracking.")]),
    ("returns", [("Can I return something I don't like?", "Yes, within 7 days of delivery if it is unused and resaleable; not custom-made goods, fresh food or opened underwear or cosmetics."),
                 ("Who pays for return shipping?", "We pay for quality problems; for no-reason returns you pay, and shipping insurance covers it if you bought it."),
                 ("My item is faulty. Can I exchange it?", "Yes, within 15 days of delivery: request the exchange in the order details with photos."),
                 ("How long is the warranty on headphones?", "Electronics have a 1-year warranty; repairs are free and we pay shipping both ways."),
                 ("The price dropped after I bought it.", "Within 7 days of payment we refund the difference; contact us to request it.")]),
    ("account", [("I forgot my password.", "Tap Forgot password on the login page and use the SMS code sent to your phone."),
                 ("How do I change my phone number?", "In Settings, Account and Security, with codes sent to the old and the new number."),
                 ("How do I delete my account?", "Settings, Account and Security, Close account; it closes after 7 days and points and coupons are lost."),
                 ("How do points work?", "You earn 1 point per yuan; 100 points give 1 yuan off; points expire at the end of the next year.")]),
    ("invoices", [("Can I get an invoice?", "Yes: electronic ordinary invoices and VAT special invoices."),
                  ("How long after my order can I ask for an invoice?", "Within 30 days after the order is completed."),
                  ("When will I receive my e-invoice?", "Electronic invoices are e-mailed within 1-3 working days."),
                  ("What do you need for a VAT special invoice?", "Company name, tax number, address, phone, bank and account number.")]),
]
EN_OPENERS = ["", "Hi! ", "Hello, ", "Quick question: ", "Hey there. "]

def write_english():
    rows = []
    n = 0
    for category, pairs in EN:
        for q, a in pairs:
            for opener in rng.sample(EN_OPENERS, 2):
                n += 1
                messages = []
                if n % 3 == 0:
                    messages.append({"role": "system", "content": EN_SYSTEM})
                messages += [{"role": "user", "content": opener + q}, {"role": "assistant", "content": a}]
                rows.append({"id": f"en-{n:03d}", "category": category, "messages": messages})
    # Multi-turn conversations: the answer to the last question is what is learned.
    multi = [
        ("shipping", ["Hi, is shipping free?", "Shipping is free from 99 yuan; below that it costs 8 yuan.",
                      "And to Xinjiang?", "Shipping to Xinjiang and Tibet is 20 yuan, with no free shipping."]),
        ("refunds", ["I returned a lamp.", "Thanks! Returns are reviewed within 24 hours after the warehouse receives them.",
                     "And after that, how long for the money?", "Refunds arrive 1-3 working days after approval, back to the original payment method."]),
        ("orders", ["Can I still change my order?", "Until the order ships you can change it in My Orders.",
                    "It says shipped already.", "Once shipped, an order cannot be changed or cancelled; refuse the parcel or return it after delivery."]),
    ]
    for category, turns in multi:
        n += 1
        messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": t} for i, t in enumerate(turns)]
        rows.append({"id": f"en-{n:03d}", "category": category, "messages": messages})
    rng.shuffle(rows)
    with open(os.path.join(HERE, "support-en-chat.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"support-en-chat.jsonl: {len(rows)} records")

if __name__ == "__main__":
    main()
