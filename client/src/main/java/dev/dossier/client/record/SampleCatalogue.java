package dev.dossier.client.record;

import java.util.List;

/**
 * The training tables {@link SampleData} draws from: accredited training providers, ways of delivery, assessment and
 * quality assurance, and a course catalogue whose safety courses carry the module codes and the legal minimum hours of
 * {@link SafetyModules}. The workers and employers are in {@link SamplePeople}.
 *
 * <p>Invariants: every table is non-empty and immutable, and its order is part of {@link SampleData}'s output (a row
 * is chosen by index), so changing a table changes the bytes generated for a seed. No text holds a comma or a quote:
 * the demo of {@code scripts/dossier} finds a column by cutting rows at commas.
 */
final class SampleCatalogue {
    private SampleCatalogue() {}

    /** Training providers as {@code name, regional accreditation}. */
    static final List<String[]> PROVIDERS = List.of(
            new String[] {"Scuola Edile di Roma", "ACCR-LAZ-0412"},
            new String[] {"Ente Formazione Metalmeccanica", "ACCR-PIE-0093"},
            new String[] {"Formedil Lombardia", "ACCR-LOM-1187"},
            new String[] {"Centro Sicurezza Lavoro Puglia", "ACCR-PUG-0230"},
            new String[] {"Istituto Tecnico Superiore Energia", "ACCR-EMR-0551"},
            new String[] {"Accademia Antincendio Veneta", "ACCR-VEN-0078"});

    static final List<String> DELIVERY_MODES = List.of("onsite", "online", "blended", "work-based");

    static final List<String> ASSESSMENTS =
            List.of("practical test", "written test", "oral exam", "multiple-choice test");

    static final List<String> QUALITY_ASSURANCE = List.of(
            "Regional accreditation; sector body audit",
            "Regional accreditation",
            "Joint sector body (ente bilaterale) registration; ISO 9001");

    /**
     * A course of the catalogue.
     *
     * @param module the safety module code ({@link SafetyModules}), or null for a course outside mandatory safety
     *     training
     * @param hours the workload in hours (for safety modules, the legal minimum)
     * @param ects the ECTS credits, or null
     */
    record Course(
            String code,
            String title,
            String sector,
            String module,
            String ada,
            List<String> skills,
            int eqf,
            String hours,
            String ects) {}

    private static final String ESCO = "http://data.europa.eu/esco/skill/";

    static final List<Course> COURSES = List.of(
            new Course(
                    "SIC-GEN",
                    "Formazione generale dei lavoratori",
                    "edilizia",
                    "generale",
                    "ADA.21.01.01",
                    List.of(ESCO + "5c0b9aaf"),
                    2,
                    "4",
                    null),
            new Course(
                    "SIC-SPB",
                    "Formazione specifica rischio basso",
                    "terziario",
                    "specifica_basso",
                    "ADA.21.01.02",
                    List.of(),
                    2,
                    "4",
                    null),
            new Course(
                    "SIC-SPM",
                    "Formazione specifica rischio medio",
                    "metalmeccanico",
                    "specifica_medio",
                    "ADA.21.01.02",
                    List.of(ESCO + "5c0b9aaf"),
                    2,
                    "8",
                    null),
            new Course(
                    "SIC-SPA",
                    "Formazione specifica rischio alto",
                    "edilizia",
                    "specifica_alto",
                    "ADA.21.01.02",
                    List.of(ESCO + "5c0b9aaf", ESCO + "d1d3e3a9"),
                    3,
                    "12",
                    null),
            new Course(
                    "SIC-AGG",
                    "Aggiornamento quinquennale lavoratori",
                    "edilizia",
                    "aggiornamento",
                    "ADA.21.01.02",
                    List.of(),
                    2,
                    "6",
                    null),
            new Course(
                    "SIC-PRE",
                    "Formazione particolare aggiuntiva per preposti",
                    "metalmeccanico",
                    "preposto",
                    "ADA.21.01.04",
                    List.of(ESCO + "bd0f3b8a"),
                    4,
                    "12",
                    null),
            new Course(
                    "SIC-DIR",
                    "Formazione dirigenti per la sicurezza",
                    "terziario",
                    "dirigente",
                    "ADA.21.01.05",
                    List.of(),
                    5,
                    "16",
                    null),
            new Course(
                    "SIC-RLS",
                    "Rappresentante dei lavoratori per la sicurezza",
                    "logistica",
                    "rls",
                    "ADA.21.01.06",
                    List.of(),
                    4,
                    "32",
                    null),
            new Course(
                    "SIC-AI2",
                    "Addetto antincendio livello 2",
                    "logistica",
                    "antincendio",
                    "ADA.21.02.01",
                    List.of(ESCO + "a3b4c5d6"),
                    2,
                    "8",
                    null),
            new Course(
                    "SIC-PS",
                    "Addetto primo soccorso gruppo B/C",
                    "metalmeccanico",
                    "primo_soccorso",
                    "ADA.21.01.03",
                    List.of(ESCO + "ae97ba94"),
                    2,
                    "12",
                    null),
            new Course(
                    "SIC-PON",
                    "Montaggio e smontaggio ponteggi (PiMUS)",
                    "edilizia",
                    "attrezzature_ponteggi",
                    "ADA.10.02.05",
                    List.of(),
                    2,
                    "28",
                    null),
            new Course(
                    "SIC-PLE",
                    "Conduzione di piattaforme di lavoro elevabili",
                    "edilizia",
                    "attrezzature_ple",
                    "ADA.10.02.06",
                    List.of(),
                    2,
                    "10",
                    null),
            new Course(
                    "SIC-GRA",
                    "Conduzione di gru per autocarro",
                    "edilizia",
                    "attrezzature_gru_autocarro",
                    "ADA.10.02.06",
                    List.of(),
                    2,
                    "12",
                    null),
            new Course(
                    "SIC-GRT",
                    "Conduzione di gru a torre",
                    "edilizia",
                    "attrezzature_gru_torre",
                    "ADA.10.02.06",
                    List.of(),
                    2,
                    "12",
                    null),
            new Course(
                    "SIC-GRM",
                    "Conduzione di gru mobili",
                    "edilizia",
                    "attrezzature_gru_mobile",
                    "ADA.10.02.06",
                    List.of(),
                    2,
                    "14",
                    null),
            new Course(
                    "SIC-CAR",
                    "Conduzione di carrelli elevatori semoventi",
                    "logistica",
                    "attrezzature_carrelli",
                    "ADA.14.01.02",
                    List.of(ESCO + "f6a8c3e1"),
                    2,
                    "12",
                    null),
            new Course(
                    "SIC-TRA",
                    "Conduzione di trattori agricoli o forestali",
                    "agricoltura",
                    "attrezzature_trattori",
                    "ADA.01.01.07",
                    List.of(),
                    2,
                    "8",
                    null),
            new Course(
                    "SIC-ESC",
                    "Conduzione di escavatori idraulici",
                    "edilizia",
                    "attrezzature_escavatori",
                    "ADA.10.02.06",
                    List.of(),
                    2,
                    "10",
                    null),
            new Course(
                    "SIC-POM",
                    "Conduzione di pompe per calcestruzzo",
                    "edilizia",
                    "attrezzature_pompe_calcestruzzo",
                    "ADA.10.02.06",
                    List.of(),
                    2,
                    "14",
                    null),
            new Course(
                    "ECO-01",
                    "Economia circolare in cantiere",
                    "edilizia",
                    null,
                    "ADA.10.01.01",
                    List.of(),
                    2,
                    "8",
                    null),
            new Course(
                    "SOFT-01",
                    "Lavoro in team e comunicazione",
                    "elettrico",
                    null,
                    "ADA.24.03.01",
                    List.of(ESCO + "7f150524"),
                    4,
                    "12",
                    null),
            new Course(
                    "BIM-02",
                    "BIM per imprese di costruzione (livello intermedio)",
                    "edilizia",
                    null,
                    "ADA.10.01.03",
                    List.of(ESCO + "0a1b2c3d", ESCO + "4e5f6a7b"),
                    5,
                    "40",
                    "2"),
            new Course(
                    "ENE-03",
                    "Impianti fotovoltaici: installazione e manutenzione",
                    "elettrico",
                    null,
                    "ADA.09.02.02",
                    List.of(ESCO + "c2d4e6f8"),
                    4,
                    "62.5",
                    "2.5"),
            new Course(
                    "DIG-01",
                    "Competenze digitali di base",
                    "terziario",
                    null,
                    "ADA.24.04.01",
                    List.of(),
                    3,
                    "16",
                    null),
            new Course(
                    "LIN-01",
                    "Inglese tecnico per la logistica",
                    "logistica",
                    null,
                    "ADA.14.02.01",
                    List.of(),
                    4,
                    "30",
                    "1"));
}
