"""The words the proposals are found by: what ends a programme's or an organization's name (and the
kind it suggests), the titles and verbs people's names stand beside, and the words no name spans.

Chinese words are in the folded form the reading gives (simplified, lower case); English ones are
matched on the original text, case and all. Surnames are Faker's zh_CN list (the synthetic data's
names come from it too): a well-kept list with the rare ones (邰, 尤, 权) included.
"""

from faker.providers.person.zh_CN import Provider as ChineseNames

from programs.models import OrganizationKind, ProgramKind

# Longest first where one ends another (联合实验室 before 实验室, 奖学金 before 奖).
PROGRAM_SUFFIXES = {
    "联合实验室": ProgramKind.JOINT_LAB,
    "联合研究中心": ProgramKind.JOINT_LAB,
    "联合基金": ProgramKind.RESEARCH_FUND,
    "科研基金": ProgramKind.RESEARCH_FUND,
    "基金": ProgramKind.RESEARCH_FUND,
    "奖学金": ProgramKind.SCHOLARSHIP,
    "奖教金": ProgramKind.AWARD,
    "奖": ProgramKind.AWARD,
    "人才计划": ProgramKind.TALENT_PROGRAM,
    "学者计划": ProgramKind.TALENT_PROGRAM,
    "实习生计划": ProgramKind.INTERNSHIP,
    "计划": ProgramKind.OTHER,
    "项目": ProgramKind.OTHER,
    "博士后工作站": ProgramKind.POSTDOC_STATION,
    "博士后创新实践基地": ProgramKind.POSTDOC_STATION,
    "工作站": ProgramKind.POSTDOC_STATION,
    "基地": ProgramKind.TRAINING_BASE,
    "联盟": ProgramKind.ALLIANCE,
    "大赛": ProgramKind.COMPETITION,
    "挑战赛": ProgramKind.COMPETITION,
    "竞赛": ProgramKind.COMPETITION,
    "平台": ProgramKind.OPEN_PLATFORM,
    "实验室": ProgramKind.JOINT_LAB,
}
PROGRAM_SUFFIXES_EN = {
    "Joint Lab": ProgramKind.JOINT_LAB,
    "Joint Laboratory": ProgramKind.JOINT_LAB,
    "Fund": ProgramKind.RESEARCH_FUND,
    "Scholarship": ProgramKind.SCHOLARSHIP,
    "Fellowship": ProgramKind.SCHOLARSHIP,
    "Award": ProgramKind.AWARD,
    "Prize": ProgramKind.AWARD,
    "Program": ProgramKind.OTHER,
    "Programme": ProgramKind.OTHER,
    "Initiative": ProgramKind.OTHER,
    "Challenge": ProgramKind.COMPETITION,
    "Competition": ProgramKind.COMPETITION,
    "Alliance": ProgramKind.ALLIANCE,
    "Platform": ProgramKind.OPEN_PLATFORM,
    "Benchmark": ProgramKind.OPEN_PLATFORM,
    "Hub": ProgramKind.OPEN_PLATFORM,
}
ORGANIZATION_SUFFIXES = {
    "大学": OrganizationKind.UNIVERSITY,
    "学院": OrganizationKind.UNIVERSITY,
    "研究生院": OrganizationKind.UNIVERSITY,
    "研究院": OrganizationKind.RESEARCH_INSTITUTE,
    "研究所": OrganizationKind.RESEARCH_INSTITUTE,
    "科学院": OrganizationKind.RESEARCH_INSTITUTE,
    "研究中心": OrganizationKind.RESEARCH_INSTITUTE,
    "实验室": OrganizationKind.RESEARCH_INSTITUTE,
    "有限公司": OrganizationKind.COMPANY,
    "公司": OrganizationKind.COMPANY,
    "集团": OrganizationKind.COMPANY,
    "科技": OrganizationKind.COMPANY,
    "事业部": OrganizationKind.COMPANY,
    "人民政府": OrganizationKind.GOVERNMENT,
    "政府": OrganizationKind.GOVERNMENT,
    "局": OrganizationKind.GOVERNMENT,
    "院": OrganizationKind.RESEARCH_INSTITUTE,
    "所": OrganizationKind.RESEARCH_INSTITUTE,
    "团队": OrganizationKind.OTHER,
    "委员会": OrganizationKind.GOVERNMENT,
    "部": OrganizationKind.GOVERNMENT,
    "基金会": OrganizationKind.NONPROFIT,
    "协会": OrganizationKind.NONPROFIT,
    "学会": OrganizationKind.NONPROFIT,
    "医院": OrganizationKind.OTHER,
    "医学院": OrganizationKind.UNIVERSITY,
}
ORGANIZATION_SUFFIXES_EN = {
    "University": OrganizationKind.UNIVERSITY,
    "College": OrganizationKind.UNIVERSITY,
    "Institute": OrganizationKind.RESEARCH_INSTITUTE,
    "Laboratory": OrganizationKind.RESEARCH_INSTITUTE,
    "Academy": OrganizationKind.RESEARCH_INSTITUTE,
    "Inc.": OrganizationKind.COMPANY,
    "Ltd.": OrganizationKind.COMPANY,
    "Ltd": OrganizationKind.COMPANY,
    "Corporation": OrganizationKind.COMPANY,
    "Group": OrganizationKind.COMPANY,
    "Foundation": OrganizationKind.NONPROFIT,
}
# What a list of organizations ends with: 华为、腾讯、阿里等科技巨头.
ORGANIZATION_GROUPS = {
    "科技巨头": OrganizationKind.COMPANY,
    "巨头": OrganizationKind.COMPANY,
    "科技公司": OrganizationKind.COMPANY,
    "公司": OrganizationKind.COMPANY,
    "企业": OrganizationKind.COMPANY,
    "大厂": OrganizationKind.COMPANY,
    "高校": OrganizationKind.UNIVERSITY,
    "大学": OrganizationKind.UNIVERSITY,
    "院校": OrganizationKind.UNIVERSITY,
    "科研机构": OrganizationKind.RESEARCH_INSTITUTE,
    "机构": OrganizationKind.OTHER,
}

TITLES = (
    "准聘助理教授",
    "准聘副教授",
    "助理教授",
    "副教授",
    "教授",
    "讲师",
    "特聘研究员",
    "研究员",
    "老师",
    "博导",
    "院士",
    "副院长",
    "院长",
    "所长",
    "主任",
    "校长",
    "副总裁",
    "总裁",
    "首席科学家",
    "首席技术官",
    "首席执行官",
    "联合创始人",
    "创始人",
    "董事长",
    "总经理",
    "ceo",
    "cto",
    "专家代表",
    "学生",
)
SPEECH_VERBS = ("表示", "提到", "认为", "指出", "介绍", "谈到", "坦言", "强调", "回忆", "如是说", "说")
# What people do right after their names in these articles: 李飞飞离职谷歌, 陈林卓发现.
ACTION_VERBS = ("离职", "加入", "入职", "担任", "毕业", "带领", "领导", "发现", "创办", "牵头", "合作")
TITLES_EN = ("Professor", "Prof.", "Dr.")
ROLES_EN = ("CEO", "CTO", "founder", "co-founder", "professor", "director", "president", "chief scientist")

# Words no programme or organization name runs across: a name starts after them.
STOP_CHARS = frozenset("的了在是从到由向对将被把等及曾已于也都还就并而但或每该其这那个位名次如若即赴")
# Words a name does not begin with: the run stops after them (与学院 is 学院 of a list).
LEADING_WORDS = (
    "与",
    "和",
    "及",
    "同",
    "一些",
    "一项",
    "一个",
    "这些",
    "多个",
    "多家",
    "各",
    "某",
    "本",
    "母校",
    "虽然",
    "申报",
    "经(?![济管贸营])",  # 经北京市人力资源和社会保障局审批, but 经济学院
    "联合(?![国会])",  # 联合麻省理工学院, but 联合国
)
# Countries a name may follow without being part of it (新加坡南洋理工大学): both are proposed.
COUNTRIES = ("美国", "英国", "德国", "法国", "日本", "韩国", "新加坡", "瑞士", "加拿大", "澳大利亚", "以色列", "香港")
# Characters a person's name does not hold.
NOT_IN_NAMES = frozenset("的了是在和与及等这那个位名校院所司局部会")
STOP_WORDS = (
    "宣布",
    "共建",
    "共同",
    "成立",
    "设立",
    "建立",
    "推出",
    "发起",
    "举办",
    "签约",
    "获得",
    "入选",
    "参与",
    "加入",
    "担任",
    "创办",
    "打造",
    "开展",
    "启动",
    "牵头",
    "依托",
    "组建",
    "携手",
    "资助",
    "支持",
    "通过",
    "包括",
    "引进",
    "入职",
    "来自",
    "首届",
    "第二届",
    "首次",
    "全职",
    "以及",
)
# Upper-case words that are not names.
COMMON_LATIN = frozenset(
    {"AI", "CEO", "CTO", "CFO", "PhD", "IT", "AR", "VR", "GPU", "CPU", "APP", "App", "OK", "NO", "TOP", "The", "And"}
)

SURNAMES = frozenset(ChineseNames.last_names)
