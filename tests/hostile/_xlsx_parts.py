"""Minimal XLSX workbooks written part by part (SYNTHETIC), to build hostile workbooks."""
import io, zipfile
def col_letter(j):
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26); s = chr(65 + r) + s
    return s
CT = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/SHEET" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>SST</Types>'''
RELS = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'''
WB = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'''
WBRELS = b'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/SHEET"/>SSTREL</Relationships>'''
def sheet_xml(rows, dimension=None, prolog=b""):
    out = [b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', prolog,
           b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    if dimension: out.append(b'<dimension ref="%s"/>' % dimension.encode())
    out.append(b"<sheetData>")
    for i, r in enumerate(rows, 1):
        cells = []
        for j, v in enumerate(r):
            if v is None: continue
            ref = f"{col_letter(j)}{i}".encode()
            if isinstance(v, (int, float)): cells.append(b'<c r="%s"><v>%s</v></c>' % (ref, repr(v).encode()))
            else:
                t = str(v).replace("&","&amp;").replace("<","&lt;").encode()
                cells.append(b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, t))
        out.append(b'<row r="%d">' % i + b"".join(cells) + b"</row>")
    out.append(b"</sheetData></worksheet>")
    return b"".join(out)
def xlsx(sheet, sheet_name="sheet1.xml", sst=None, extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ct = CT.replace(b"SHEET", sheet_name.encode())
        ct = ct.replace(b"SST", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if sst is not None else b"")
        z.writestr("[Content_Types].xml", ct); z.writestr("_rels/.rels", RELS); z.writestr("xl/workbook.xml", WB)
        wr = WBRELS.replace(b"SHEET", sheet_name.encode()).replace(b"SSTREL", b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if sst is not None else b"")
        z.writestr("xl/_rels/workbook.xml.rels", wr)
        z.writestr("xl/worksheets/" + sheet_name, sheet)
        if sst is not None: z.writestr("xl/sharedStrings.xml", sst)
        for n, d in extra: z.writestr(n, d)
    return buf.getvalue()
