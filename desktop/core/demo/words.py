"""Word lists for demo data: names, banks, employers and 个人简介 sentences (all fictitious people)."""

from __future__ import annotations

# Common surnames, most frequent first; the weights follow the rough national ranking, with the
# names common in Sichuan (何、罗、邓、蒲、冉…) a little higher.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤蒲冉苟代母敬税"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")

MALE_CHARS = (
    "伟强军勇明建国平华志刚文斌杰涛超波辉林峰鹏飞海东成德福贵兴荣宏春永祥宇浩俊龙江川山松柏洪亮"
    "正光庆发家富寿长坤云鑫磊晨阳"
)
FEMALE_CHARS = "芳秀英华丽敏静霞燕玲娟红梅兰琴凤云莲桂萍洁婷雪慧颖琳晓丹蓉菊艳春玉珍淑翠娇倩月彩霞"
SHARED_CHARS = "明文海晓春金玉建永宁安新平"
# Rare characters (生僻字) that input methods and fonts must cope with: 镕 and 堃 are in GB 2312
# only partly, 䶮 is in CJK Extension A, 喆 and 昇 are variants people really use in names.
RARE_CHARS = "镕䶮堃喆昇赟燚玥婳犇"

MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

# (bank name prefix, card BIN, card length). Book accounts get 12 digits and no check digit.
NATIONAL_BANKS = (
    ("中国邮政储蓄银行", "621799", 19),
    ("中国农业银行", "622848", 19),
    ("中国建设银行", "621700", 19),
    ("中国工商银行", "622202", 19),
    ("中国银行", "621785", 19),
)
LOCAL_BANKS = {
    "51": (("四川农信", "621459", 19), ("四川农村商业联合银行", "623190", 19)),
    "50": (("重庆农村商业银行", "621458", 19), ("重庆银行", "622363", 16)),
    "53": (("云南农信", "622995", 19), ("富滇银行", "622373", 16)),
    "33": (("浙江农商银行", "621058", 19), ("金华银行", "622485", 16)),
}

EMPLOYER_PATTERNS = (
    ("{village}村民委员会", 30),
    ("{township}{word}种养殖专业合作社", 14),
    ("{county}{word}劳务有限公司", 12),
    ("{county}{word}劳务专业合作社", 8),
    ("{township}人民政府", 4),
    ("{county}{word}建筑工程有限公司", 5),
    ("{township}{word}家庭农场", 5),
    ("个体经营", 8),
    ("务农", 14),
)
FIRM_WORDS = tuple("兴旺 鑫源 宏达 福顺 惠民 金穗 丰收 诚信 众鑫 腾飞 顺发 永安 富民 新农".split())

DESTINATIONS = ("江浙", "广东", "福建", "上海", "新疆", "成都", "重庆", "深圳", "宁波", "苏州", "厦门")
TRADES = ("建筑", "电子厂", "制衣", "餐饮", "家政", "物流", "采棉", "机械加工", "汽车制造", "保安")
SKILLS = ("电焊", "砌筑", "木工", "厨师", "果树嫁接", "农机维修", "水电安装", "养殖", "刺绣", "竹编")

PROFILE_TEMPLATES = (
    "长期在外务工{years}年，熟悉{trade}行业用工情况，近年来带动{count}余名同乡到{dest}就业。",
    "现任本村{post}，熟悉本村劳动力底数，多次组织群众参加招聘会，累计介绍{count}余人次外出务工。",
    "掌握{skill}技术，在本地带徒{small}人，愿意为乡亲们牵线搭桥，推荐合适岗位。",
    "曾在{dest}{trade}企业担任班组长{years}年，与多家企业保持联系，能及时掌握岗位信息。",
    "经营农业合作社，每年农闲时组织{count}余名村民到{dest}务工，协助签订劳动合同、办理社保。",
    "热心公益，熟悉电脑和智能手机操作，常在微信群发布招工信息，帮助{count}余人找到工作。",
    "返乡创业人员，在{dest}从事{trade}工作{years}年，熟悉劳务输出流程和劳动者权益保护政策。",
)
POSTS = ("党支部书记", "村委会主任", "村委委员", "文书", "网格员", "社保协理员")
