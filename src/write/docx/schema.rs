//! Children of WordprocessingML property elements in the order the schema
//! requires.
//!
//! docx-rs writes the children of `w:rPr`, `w:pPr`, `w:tblPr`, `w:tcPr`,
//! `w:sectPr` and `w:style` in the order its builder calls came, not in the
//! `xsd:sequence` order of ECMA-376 (`w:sz` before `w:rFonts`, `w:jc` before
//! `w:spacing`, `w:tblInd` after `w:tblCellMar`), and gives `w:gridCol` a
//! `w:type` attribute the schema does not declare. Word is strict about both
//! (an Open XML validator reports each one). No crate reorders an existing
//! part, and docx-rs has no setting for it, so the parts are rewritten here:
//! parsed with quick-xml into a small tree, each property element's children
//! sorted (stably) by their place in the schema's sequence, and written back.
//! Text and attributes pass through byte for byte.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// The children of a property element, in schema order (ECMA-376 Part 1,
/// transitional: CT_RPr with CT_ParaRPr's revision marks first, CT_PPr,
/// CT_TblPr, CT_TcPr, CT_SectPr, CT_Style, CT_TblBorders / CT_TcBorders).
/// `w:trPr` is a choice in any order and is left alone.
fn sequence(parent: &[u8]) -> Option<&'static [&'static str]> {
    Some(match parent {
        b"w:rPr" => &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
        b"w:pPr" => &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
        b"w:tblPr" => &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
        b"w:tcPr" => &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
        b"w:tblBorders" | b"w:tcBorders" => &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
        b"w:tblCellMar" | b"w:tcMar" => &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"],
        b"w:sectPr" => &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
        b"w:style" => &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
        b"w:lvl" => &[
            "w:start",
            "w:numFmt",
            "w:lvlRestart",
            "w:pStyle",
            "w:isLgl",
            "w:suff",
            "w:lvlText",
            "w:lvlPicBulletId",
            "w:legacy",
            "w:lvlJc",
            "w:pPr",
            "w:rPr",
        ],
        b"w:settings" => &SETTINGS,
        _ => return None,
    })
}

/// CT_Settings, in order.
const SETTINGS: [&str; 99] = [
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
    "w14:docId",
];

/// Header and footer references share one place in CT_SectPr (any mix of both).
fn rank(order: &[&str], child: &[u8]) -> usize {
    let child = if child == b"w:footerReference" { b"w:headerReference".as_slice() } else { child };
    order.iter().position(|t| t.as_bytes() == child).unwrap_or(order.len())
}

/// Attributes the schema does not declare on an element, dropped.
fn undeclared(element: &[u8], attribute: &[u8]) -> bool {
    matches!((element, attribute), (b"w:gridCol", b"w:type"))
}

enum Node<'a> {
    Element { start: BytesStart<'a>, children: Vec<Node<'a>>, empty: bool },
    Other(Event<'a>),
}

impl Node<'_> {
    fn name(&self) -> &[u8] {
        match self {
            Node::Element { start, .. } => start.name().into_inner(),
            Node::Other(_) => b"",
        }
    }
}

/// The part `xml` with every property element's children in schema order and
/// undeclared attributes dropped. A part that is not well-formed is returned as
/// it came (docx-rs wrote it; nothing here should make it worse).
pub fn order(xml: &str) -> String {
    match reorder(xml) {
        Ok(out) => out,
        Err(_) => xml.to_owned(),
    }
}

fn reorder(xml: &str) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    // Open elements, each with the children read so far; the bottom one is the document.
    let mut stack: Vec<(Option<BytesStart>, Vec<Node>)> = vec![(None, Vec::new())];
    loop {
        let event = reader.read_event()?;
        match event {
            Event::Eof => break,
            Event::Start(start) => stack.push((Some(clean(start)), Vec::new())),
            // An empty run property says nothing, and where a paragraph property
            // may hold none (styles, numbering levels) it is invalid.
            Event::Empty(start) if start.name().into_inner() == b"w:rPr" => {}
            Event::Empty(start) => {
                let node = Node::Element { start: clean(start), children: Vec::new(), empty: true };
                stack.last_mut().expect("the document frame").1.push(node);
            }
            Event::End(_) => {
                let (Some(start), mut children) = stack.pop().expect("an open element") else {
                    return Err(quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag));
                };
                if let Some(order) = sequence(start.name().into_inner()) {
                    children.sort_by_key(|c| rank(order, c.name()));
                }
                let Some(parent) = stack.last_mut() else {
                    return Err(quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag));
                };
                if !(children.is_empty() && start.name().into_inner() == b"w:rPr") {
                    parent.1.push(Node::Element { start, children, empty: false });
                }
            }
            other => stack.last_mut().expect("the document frame").1.push(Node::Other(other)),
        }
        if stack.is_empty() {
            return Err(quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag));
        }
    }
    let [(None, nodes)] = &stack[..] else {
        return Err(quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag));
    };
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    for node in nodes {
        write(&mut writer, node)?;
    }
    Ok(String::from_utf8(writer.into_inner()).expect("UTF-8 in, UTF-8 out"))
}

/// `start` without the attributes its element does not declare.
fn clean(start: BytesStart) -> BytesStart {
    let name = start.name().into_inner().to_vec();
    if !start.attributes().flatten().any(|a| undeclared(&name, a.key.into_inner())) {
        return start;
    }
    let mut out = BytesStart::new(String::from_utf8_lossy(&name).into_owned());
    out.extend_attributes(start.attributes().flatten().filter(|a| !undeclared(&name, a.key.into_inner())));
    out
}

fn write(writer: &mut Writer<Vec<u8>>, node: &Node) -> Result<(), quick_xml::Error> {
    match node {
        Node::Element { start, empty: true, .. } => writer.write_event(Event::Empty(start.borrow()))?,
        Node::Element { start, children, .. } => {
            writer.write_event(Event::Start(start.borrow()))?;
            for c in children {
                write(writer, c)?;
            }
            writer.write_event(Event::End(start.to_end()))?;
        }
        Node::Other(event) => writer.write_event(event.borrow())?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_children_follow_the_schema_and_text_passes_through() {
        let x = r#"<w:p><w:pPr><w:rPr><w:sz w:val="26" /><w:rFonts w:ascii="T" /></w:rPr><w:jc w:val="center" /><w:spacing w:before="0" /></w:pPr><w:r><w:rPr><w:sz w:val="26" /><w:color w:val="000000" /><w:b /></w:rPr><w:t xml:space="preserve">A &amp; "Ă"</w:t></w:r></w:p>"#;
        assert_eq!(
            order(x),
            r#"<w:p><w:pPr><w:spacing w:before="0" /><w:jc w:val="center" /><w:rPr><w:rFonts w:ascii="T" /><w:sz w:val="26" /></w:rPr></w:pPr><w:r><w:rPr><w:b /><w:color w:val="000000" /><w:sz w:val="26" /></w:rPr><w:t xml:space="preserve">A &amp; "Ă"</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn sections_tables_and_grid_columns_are_made_valid() {
        let x = r#"<w:tbl><w:tblPr><w:tblW w:w="1" /><w:tblCellMar><w:bottom w:w="0" /><w:top w:w="0" /></w:tblCellMar><w:tblInd w:w="0" /></w:tblPr><w:tblGrid><w:gridCol w:w="4000" w:type="dxa" /></w:tblGrid></w:tbl><w:sectPr><w:pgSz w:w="1" /><w:footerReference r:id="b" /><w:headerReference r:id="a" /><w:titlePg /></w:sectPr>"#;
        assert_eq!(
            order(x),
            r#"<w:tbl><w:tblPr><w:tblW w:w="1" /><w:tblInd w:w="0" /><w:tblCellMar><w:top w:w="0" /><w:bottom w:w="0" /></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid></w:tbl><w:sectPr><w:footerReference r:id="b" /><w:headerReference r:id="a" /><w:pgSz w:w="1" /><w:titlePg /></w:sectPr>"#
        );
    }

    #[test]
    fn a_part_that_is_not_well_formed_is_left_as_it_is() {
        assert_eq!(order("<w:p><w:r></w:p>"), "<w:p><w:r></w:p>");
        assert_eq!(order("<w:p></w:p></w:r>"), "<w:p></w:p></w:r>");
    }
}
