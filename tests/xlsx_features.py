"""A SENCo's own provision map holding everything openpyxl would lose.

:func:`build_feature_workbook` makes a small workbook with openpyxl, then adds or
patches XML parts in its zip so it holds: a text box (a drawing part), x14 data
validations and conditional formats in the sheet's extLst, sparklines, a slicer
(slicer and slicer cache parts), cached formula results, a dynamic-array formula
(with metadata.xml), a customXml part, printer settings, and (``macro=True``) a
VBA project in an .xlsm. The Provision sheet is not formkit's template: it is
named 'Provision map', has a title above the headings, its own column order,
heading aliases ('Pupil Name', 'Programme', 'Date Commenced', 'Staff', 'Cost')
and columns formkit does not know ('Key Worker', 'Trend').
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo

HEADINGS = ["Pupil Name", "UPN", "Class", "Programme", "Date Commenced", "Staff", "Key Worker", "Group Size",
            "Sessions per Week", "Minutes", "Cost", "Entry Score", "Exit Score", "Progress", "Impact Rating",
            "Notes", "Trend"]
ROWS = [  # pupil, UPN, class, programme, start, staff, key worker, group, sessions, minutes, entry, exit,
    # rating, notes
    ("Chloé Martin", "Q801200023013", "3H", "ELSA", date(2026, 9, 28), "Teaching assistant", "Mrs Ellis", 1, 1, 30,
     12, None, None, None),
    ("Alex Pembridge", "R801200023004", "3H", "Toe by Toe", date(2026, 9, 21), "HLTA", "Mr Hale", 1, 5, 15, 84,
     None, None, None),
    ("Sam Kirkwood", "R801200021031", "5D", "Lego-based therapy", date(2026, 9, 14), "Teaching assistant",
     "Mrs Ellis", 3, 2, 30, 42, None, None, "Added by hand: check the group"),
    ("José Ferreira", "V801200021004", "5D", "Numicon catch-up", date(2026, 9, 8), "HLTA", "Mr Hale", 3, 2, 30, 35,
     None, None, None),
    ("Rahim Uddin", "G801200020022", "6L", "Lego-based therapy", date(2026, 9, 21), "Teaching assistant",
     "Mrs Ellis", 3, 2, 30, 10, 14, "+1", None),
]
FIRST, LAST = 4, 3 + len(ROWS)
SHEET = "xl/worksheets/sheet1.xml"
SUMMARY = "xl/worksheets/sheet2.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _openpyxl_book() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Provision map"
    ws["A1"] = "Years 3-6 provision map (Mrs Okafor's copy)"
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(HEADINGS)
    for r, row in enumerate(ROWS, start=FIRST):
        name, upn, cls, prog, start, staff, worker, group, sessions, minutes, entry, exit_, rating, notes = row
        ws.append([name, upn, cls, prog, start, staff, worker, group, sessions, minutes,
                   f"=ROUND(I{r}*J{r}/60*38*16/H{r},2)", entry, exit_, f'=IF(M{r}="","",M{r}-L{r})', rating, notes,
                   None])
        ws.cell(r, 5).number_format = "dd/mm/yyyy"
        ws.cell(r, 11).number_format = '"£"#,##0.00'
    ws.add_table(Table(displayName="Interventions", ref=f"A3:Q{LAST}",
                       tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)))
    dv = DataValidation(type="list", formula1='"Exceeded,Achieved,Partially achieved,Not achieved,+1,0,-1"')
    dv.add(f"O{FIRST}:O{LAST}")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add(f"N{FIRST}:N{LAST}", FormulaRule(
        formula=[f"N{FIRST}<0"], fill=PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")))
    ws.page_setup.orientation = "landscape"
    summary = wb.create_sheet("Summary")
    summary["A1"] = f"=SUM('Provision map'!K{FIRST}:K{LAST})"
    summary["A2"] = "Programmes"
    lists = wb.create_sheet("Lists")
    for i, role in enumerate(("Teaching assistant", "HLTA", "Teacher", "Learning mentor"), start=1):
        lists.cell(i, 1, role)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_DRAWING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:from><xdr:col>18</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>22</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" cy="1100000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Review with the class teachers at half term</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"""

_EXT = (
    f'<extLst><ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="{X14}">'
    f'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="{XM}"><x14:cfRule type="expression"'
    f' priority="2" id="{{00000000-0000-0000-0000-000000000001}}"><xm:f>M{FIRST}&gt;L{FIRST}</xm:f><x14:dxf>'
    f'<font><b/></font></x14:dxf></x14:cfRule><xm:sqref>M{FIRST}:M{LAST}</xm:sqref></x14:conditionalFormatting>'
    f'</x14:conditionalFormattings></ext>'
    f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}"><x14:dataValidations count="1"'
    f' xmlns:xm="{XM}"><x14:dataValidation type="list" allowBlank="1" showErrorMessage="1"><x14:formula1>'
    f'<xm:f>Lists!$A$1:$A$4</xm:f></x14:formula1><xm:sqref>F{FIRST}:F{LAST}</xm:sqref></x14:dataValidation>'
    f'</x14:dataValidations></ext>'
    f'<ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}"><x14:sparklineGroups'
    f' xmlns:xm="{XM}"><x14:sparklineGroup displayEmptyCellsAs="gap"><x14:colorSeries rgb="FF376092"/>'
    f'<x14:sparklines>' + "".join(
        f"<x14:sparkline><xm:f>'Provision map'!L{r}:M{r}</xm:f><xm:sqref>Q{r}</xm:sqref></x14:sparkline>"
        for r in range(FIRST, LAST + 1)) +
    f'</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext>'
    f'<ext uri="{{A8765BA9-456A-4dab-B4F3-ACF838C121DE}}" xmlns:x14="{X14}"><x14:slicerList>'
    f'<x14:slicer r:id="rIdSlicer" xmlns:r="{R}"/></x14:slicerList></ext></extLst>'
)

_SLICER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<slicers xmlns="{X14}"'
           ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><slicer name="Programme"'
           ' cache="Slicer_Programme" caption="Programme" rowHeight="241300"/></slicers>')
_SLICER_CACHE = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<slicerCacheDefinition'
                 f' xmlns="{X14}" name="Slicer_Programme" sourceName="Programme"><extLst><x:ext'
                 f' uri="{{2F2917AC-EB37-4324-AD4E-5DD8C200BD13}}" xmlns:x="{MAIN}"><x15:tableSlicerCache'
                 ' tableId="1" column="4" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"/>'
                 '</x:ext></extLst></slicerCacheDefinition>')
_METADATA = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<metadata xmlns="{MAIN}"'
             ' xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray"><metadataTypes'
             ' count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1"'
             ' pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1"'
             ' assign="1" coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" count="1"><bk>'
             '<extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties fDynamic="1"'
             ' fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/>'
             '</bk></cellMetadata></metadata>')
_CUSTOM_ITEM = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography" SelectedStyle="/APA.XSL"/>'
_CUSTOM_PROPS = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem'
                 ' ds:itemID="{2A5C1B8E-0000-4000-8000-000000000001}"'
                 ' xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/>'
                 '</ds:datastoreItem>')
PRINTER_SETTINGS = bytes(range(256)) * 4
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1016)


def _add_rel(rels: bytes, rel_id: str, kind: str, target: str) -> bytes:
    return rels.replace(b"</Relationships>",
                        f'<Relationship Id="{rel_id}" Type="{kind}" Target="{target}"/></Relationships>'.encode())


def _override(types: bytes, part: str, content_type: str) -> bytes:
    return types.replace(b"</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'.encode())


def _cached(sheet: bytes, cell: str, value: str) -> bytes:
    """Give the formula in ``cell`` a cached result, as Excel saves it."""
    pattern = re.compile(rb'(<c r="' + cell.encode() + rb'"[^>]*>)(<f>.*?</f>)(?:<v></v>|<v/>)?(</c>)')
    patched, n = pattern.subn(rb"\1\2<v>" + value.encode() + rb"</v>\3", sheet)
    assert n == 1, cell
    return patched


def build_feature_workbook(path: Path, *, macro: bool = False) -> Path:
    """Write the feature workbook to ``path`` (.xlsx, or .xlsm with ``macro``)."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(_openpyxl_book())) as zf:
        order = [i.filename for i in zf.infolist()]
        for name in order:
            parts[name] = zf.read(name)
    sheet = parts[SHEET]
    for r, row in enumerate(ROWS, start=FIRST):
        sheet = _cached(sheet, f"K{r}", f"{round(row[8] * row[9] / 60 * 38 * 16 / row[7], 2)}")
        if row[11] is not None:
            sheet = _cached(sheet, f"N{r}", str(row[11] - row[10]))
    sheet = sheet.replace(b"<pageSetup ", f'<pageSetup xmlns:r="{R}" r:id="rIdPrinter" '.encode())
    sheet = sheet.replace(b"<tableParts", f'<drawing xmlns:r="{R}" r:id="rIdDrawing"/><tableParts'.encode())
    sheet = sheet.replace(b"</worksheet>", _EXT.encode() + b"</worksheet>")
    parts[SHEET] = sheet
    summary = _cached(parts[SUMMARY], "A1", "1057.73")
    summary = summary.replace(b'<c r="A2" t="inlineStr">', b'<c r="A3" t="inlineStr">')
    spill = ('<c r="B2" cm="1" t="str"><f t="array" ref="B2:B5">_xlfn.UNIQUE(\'Provision map\'!D4:D8)</f>'
             '<v>ELSA</v></c>')
    summary = re.sub(rb'<row r="2"[^>]*>.*?</row>', b"", summary, flags=re.S)
    summary = summary.replace(b"</sheetData>", (
        f'<row r="2">{spill}</row><row r="3"><c r="B3" t="str"><v>Toe by Toe</v></c></row>'
        f'<row r="4"><c r="B4" t="str"><v>Lego-based therapy</v></c></row>'
        f'<row r="5"><c r="B5" t="str"><v>Numicon catch-up</v></c></row></sheetData>').encode())
    summary = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B5"/>', summary)
    parts[SUMMARY] = summary
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    parts[rels] = _add_rel(parts[rels], "rIdDrawing", REL + "drawing", "../drawings/drawing1.xml")
    parts[rels] = _add_rel(parts[rels], "rIdPrinter", REL + "printerSettings",
                           "../printerSettings/printerSettings1.bin")
    parts[rels] = _add_rel(parts[rels], "rIdSlicer", "http://schemas.microsoft.com/office/2007/relationships/slicer",
                           "../slicers/slicer1.xml")
    parts["xl/drawings/drawing1.xml"] = _DRAWING.encode()
    parts["xl/printerSettings/printerSettings1.bin"] = PRINTER_SETTINGS
    parts["xl/slicers/slicer1.xml"] = _SLICER.encode()
    parts["xl/slicerCaches/slicerCache1.xml"] = _SLICER_CACHE.encode()
    parts["xl/metadata.xml"] = _METADATA.encode()
    parts["customXml/item1.xml"] = _CUSTOM_ITEM.encode()
    parts["customXml/itemProps1.xml"] = _CUSTOM_PROPS.encode()
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
        b'formats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>')
    wb_rels = "xl/_rels/workbook.xml.rels"
    parts[wb_rels] = _add_rel(parts[wb_rels], "rIdCache", "http://schemas.microsoft.com/office/2007/relationships/"
                              "slicerCache", "slicerCaches/slicerCache1.xml")
    parts[wb_rels] = _add_rel(parts[wb_rels], "rIdMeta", REL + "sheetMetadata", "metadata.xml")
    parts[wb_rels] = _add_rel(parts[wb_rels], "rIdCustom", REL + "customXml", "../customXml/item1.xml")
    workbook = re.sub(rb"<calcPr[^>]*/>", b'<calcPr calcId="191029"/>', parts["xl/workbook.xml"])
    parts["xl/workbook.xml"] = workbook.replace(b"</workbook>", (
        f'<extLst><ext uri="{{BBE1A952-AA13-448e-AADC-164F8A28A991}}" xmlns:x14="{X14}"><x14:slicerCaches>'
        f'<x14:slicerCache xmlns:r="{R}" r:id="rIdCache"/></x14:slicerCaches></ext></extLst></workbook>').encode())
    types = parts["[Content_Types].xml"]
    types = types.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                          b'officedocument.spreadsheetml.printerSettings"/></Types>')
    for part, kind in (("xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml"),
                       ("xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml"),
                       ("xl/slicerCaches/slicerCache1.xml", "application/vnd.ms-excel.slicerCache+xml"),
                       ("xl/metadata.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"),
                       ("customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")):
        types = _override(types, part, kind)
    if macro:
        parts["xl/vbaProject.bin"] = VBA_PROJECT
        types = types.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                              b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        types = _override(types, "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject")
        parts[wb_rels] = _add_rel(parts[wb_rels], "rIdVba", "http://schemas.microsoft.com/office/2006/relationships/"
                                  "vbaProject", "vbaProject.bin")
    parts["[Content_Types].xml"] = types
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [*order, *(n for n in parts if n not in order)]:
            zf.writestr(name, parts[name])
    path.write_bytes(out.getvalue())
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rows_of(sheet_xml: bytes) -> dict[int, bytes]:
    """Each <row> element's bytes by row number."""
    return {int(m.group(1)): m.group(0) for m in re.finditer(rb'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', sheet_xml,
                                                              re.S)}


def cells_of(sheet_xml: bytes) -> dict[str, bytes]:
    """Each <c> element's bytes by reference."""
    return {m.group(1).decode(): m.group(0) for m in re.finditer(rb'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</c>)',
                                                                 sheet_xml, re.S)}
