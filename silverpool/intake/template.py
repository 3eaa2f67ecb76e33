"""The blank 基本信息表 that units fill in: header, an example row, drop-down lists, and text
format on the ID and phone columns so Excel cannot turn them into numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..loader import Pool
from .reader import FIELDS, REQUIRED, col_letter

TEXT_COLUMNS = {"身份证号", "联系电话", "出生年月", "离退休时间", "序号"}
WIDTHS = {"身份证号": 21, "家庭住址": 28, "原工作单位": 22, "选报小组": 18, "专业特长": 18, "联系电话": 15, "备注": 16}
EXAMPLE = {"序号": "示例", "姓名": "张某某", "性别": "男", "出生年月": "1950.03", "民族": "汉族", "政治面貌": "中共党员",
           "文化程度": "大学", "身份证号": "（18 位，按原件填写）", "离退休类别": "退休", "离退休时间": "2010.03",
           "原工作单位": "杭州市××局", "原职务": "处长", "职级": "正处级", "专业技术职称": "高级工程师",
           "专业特长": "书法、篆刻", "兴趣爱好": "摄影", "健康状况": "良好", "居住区县": "西湖区",
           "家庭住址": "杭州市西湖区××街道××号", "联系电话": "13800000000", "选报小组": "书画组、摄影组",
           "可服务时间": "每周一天", "可提供的服务": "讲座、辅导", "本人确认": "是", "备注": ""}
HELP = [
    "填表说明",
    "1. 每位人员一行，从第 4 行起填写；第 4 行“示例”可删除，保留也不会被录入。",
    "2. 带 * 的列必须填写：姓名、性别、出生年月、身份证号、健康状况、本人确认。",
    "3. 身份证号、联系电话两列已设为“文本”格式，请直接输入，不要改成数字格式（否则 Excel 会丢掉后几位）。",
    "4. 出生年月写成 1950.03 或 1950年3月，须与身份证号一致；离退休时间同样写法。",
    "5. 选报小组可多选，用顿号（、）分隔，只能从下拉列表中的小组选择。",
    "6. 健康状况只填 良好 / 较好 / 一般 / 较差 之一，不要填写病情。",
    "7. 本人确认：本人在纸质《基本信息表》上签字同意的填“是”（可附签字日期，如 是（2014.6.1）），否则不能入库。",
    "8. 居住区县写区、县（市）全称，如 西湖区、桐庐县。",
    "9. 请勿合并单元格、隐藏行或使用公式；不要修改表头。",
    "10. 报送后会收到一份“处理结果”表：未能入库的行写明了原因，改正后可整表重新报送（已入库的人不会重复录入）。",
]


def write_template(out: Path, pool: Pool, day: dt.date) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "基本信息表"
    ws.append([f"{pool.config.name if pool.config else '杭州市“银色人才”库'}基本信息表"])
    ws.append(["填报单位：　　　　　　　　　　　　填报日期：　　年　　月　　日"])
    ws.append([f"{f}*" if f in REQUIRED else f for f in FIELDS])
    ws.append([EXAMPLE[f] for f in FIELDS])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(FIELDS))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    head_fill = PatternFill("solid", fgColor="FFDDEBF7")
    for c, f in enumerate(FIELDS, start=1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(bold=True, color="FFC00000" if f in REQUIRED else "FF000000")
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.cell(row=4, column=c).font = Font(italic=True, color="FF808080")
        ws.column_dimensions[col_letter(c - 1)].width = WIDTHS.get(f, 11)
    ws.freeze_panes = "C4"
    last = 1003
    for c, f in enumerate(FIELDS, start=1):
        if f in TEXT_COLUMNS:
            for r in range(4, last + 1):
                ws.cell(row=r, column=c).number_format = "@"

    # the lists live on a hidden sheet (an inline list is capped at 255 characters)
    lists = wb.create_sheet("选项")
    fitness = [f.level for f in pool.vocab.fitness]
    districts = [d.name for d in pool.districts.values() if d.valid_on(day)]
    options = {
        "性别": ["男", "女"],
        "政治面貌": pool.vocab.political,
        "文化程度": pool.vocab.education,
        "健康状况": fitness,
        "选报小组": [g.name for g in pool.groups.values()],
        "居住区县": districts,
        "本人确认": ["是", "否"],
        "民族": pool.vocab.ethnicity,
        "职级": pool.vocab.rank,
        "离退休类别": ["离休", "退休"],
    }
    for i, (f, values) in enumerate(options.items(), start=1):
        lists.cell(row=1, column=i, value=f)
        for j, v in enumerate(values, start=2):
            lists.cell(row=j, column=i, value=v)
        col = FIELDS.index(f) + 1
        letter = col_letter(i - 1)
        dv = DataValidation(type="list", formula1=f"=选项!${letter}$2:${letter}${len(values) + 1}", allow_blank=True)
        if f == "选报小组":  # several groups in one cell: offer the list, allow 书画组、摄影组
            dv.showErrorMessage = False
            dv.prompt, dv.promptTitle, dv.showInputMessage = "可多选，用顿号（、）分隔", "选报小组", True
        else:
            dv.showErrorMessage = True
            dv.error, dv.errorTitle = f"请从下拉列表中选择{f}", "输入值无效"
        ws.add_data_validation(dv)
        dv.add(f"{col_letter(col - 1)}5:{col_letter(col - 1)}{last}")
    lists.sheet_state = "hidden"

    help_ws = wb.create_sheet("填表说明", 0)
    for line in HELP:
        help_ws.append([line])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.column_dimensions["A"].width = 110
    wb.active = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
