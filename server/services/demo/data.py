"""The demo company of `flask seed-demo`: units, people, zones, posts and hazard titles."""

UNITS = (("GD", "国网示范供电公司", None), ("BDZ", "变电运维一班", "GD"), ("XL", "输电运检二班", "GD"))
USERS = (  # username, name, role, unit, Party member, branch, phone
    ("admin", "系统管理员", "admin", "GD", False, None, None),
    ("jiandu", "周安监", "supervisor", "GD", True, "公司机关党支部", "13800000001"),
    ("jiandu2", "吴督查", "supervisor", "BDZ", True, "变电党支部", "13800000002"),
    ("zhang", "张建国", "zone_head", "BDZ", True, "变电党支部", "13800000011"),
    ("li", "李红梅", "zone_head", "BDZ", True, "变电党支部", "13800000012"),
    ("wang", "王志强", "zone_head", "XL", True, "输电党支部", "13800000013"),
    ("zhao", "赵卫东", "zone_head", "XL", True, "输电党支部", "13800000014"),
    ("chen", "陈小勇", "worker", "BDZ", True, "变电党支部", "13800000021"),
    ("liu", "刘晓", "worker", "BDZ", False, None, "13800000022"),
    ("sun", "孙海", "worker", "XL", False, None, "13800000023"),
    ("zhou", "周明", "worker", "XL", True, "输电党支部", "13800000024"),
    ("ma", "马骏", "worker", "XL", False, None, "13800000025"),
)
ZONES = (  # code, name, unit, head, responsibilities, lat, lng
    (
        "BDZ-01",
        "110kV 城东变电站主控室",
        "BDZ",
        "zhang",
        "主控室设备巡视、消防器材检查、工作票执行监督",
        30.2741,
        120.1551,
    ),
    (
        "BDZ-02",
        "110kV 城东变电站高压场区",
        "BDZ",
        "zhang",
        "高压设备区围栏、安全标识、接地装置检查",
        30.2745,
        120.1560,
    ),
    ("BDZ-03", "35kV 西郊变电站", "BDZ", "li", "设备区、电缆沟、防小动物措施", 30.2601, 120.1102),
    ("XL-01", "220kV 钱江线 #12–#30 段", "XL", "wang", "杆塔基础、通道树障、防外破巡视", 30.3012, 120.2013),
    ("XL-02", "110kV 临平线跨越段", "XL", "zhao", "交叉跨越、高处作业安全措施", 30.4201, 120.3003),
    ("XL-03", "输电运检工具库房", "XL", "wang", "工器具定期试验、防护用品发放与检查", 30.3101, 120.2101),
)
POSTS = (  # code, name, unit, zone, holder, commitment
    (
        "SFG-01",
        "城东变电站党员示范岗",
        "BDZ",
        "BDZ-01",
        "zhang",
        "安全第一，带头执行“两票三制”，做到无违章、无隐患。",
    ),
    (
        "SFG-02",
        "钱江线运检党员示范岗",
        "XL",
        "XL-01",
        "wang",
        "亮身份、作表率，每班巡视到位，隐患发现即上报。",
    ),
    ("SFG-03", "工具库房党员示范岗", "XL", "XL-03", "zhou", "工器具件件合格、次次检查，守好安全第一道防线。"),
)
HAZARD_TITLES = {
    "electrical": ("配电箱门未关闭且无警示", "电缆外皮破损"),
    "height": ("登高作业未系安全带", "爬梯防护圈缺失"),
    "fire": ("灭火器压力不足", "消防通道堆放杂物"),
    "equipment": ("隔离开关操作机构锈蚀", "主变油位偏低"),
    "tools_ppe": ("绝缘手套超期未试验", "安全帽帽衬破损"),
    "traffic": ("站内道路限速标识缺失", "施工车辆无人指挥倒车"),
    "environment": ("电缆沟积水", "围墙外树木距导线过近"),
    "violation": ("未办理工作票进入设备区", "作业现场无人监护"),
    "other": ("安全标识牌褪色", "防小动物挡板缺失"),
}
# status → how many demo hazards end there; overdue and major ones are spread among them.
STATUS_PLAN = (("reported", 8), ("rejected", 3), ("rectifying", 14), ("verifying", 6), ("closed", 11))
LETTER = (
    "安全生产责任书（责任区长）",
    "为落实“党建+安全”要求，明确党员安全责任区责任，签订本责任书。\n"
    "一、责任区长是本责任区安全第一责任人，按期巡查，发现隐患立即上报并督促整改。\n"
    "二、严格执行“两票三制”，带头反违章，做到无违章、无隐患、无事故。\n"
    "三、隐患整改闭环管理，按期销号，不得超期。\n"
    "四、本责任书自签署之日起至当年 12 月 31 日有效。",
)
