package dev.dossier.client.record;

import java.util.List;

/**
 * The people tables {@link SampleData} draws from: Italian given names and surnames, places of birth with their
 * cadastral (Belfiore) codes, and employers. The training tables are in {@link SampleCatalogue}.
 *
 * <p>Invariants: every table is non-empty and immutable, and its order is part of {@link SampleData}'s output (a row
 * is chosen by index), so changing a table changes the bytes generated for a seed. No text holds a comma or a quote:
 * the demo of {@code scripts/dossier} finds a column by cutting rows at commas.
 */
final class SamplePeople {
    private SamplePeople() {}

    static final List<String> MALE_NAMES = List.of(
            "Marco",
            "Luca",
            "Giuseppe",
            "Francesco",
            "Alessandro",
            "Andrea",
            "Matteo",
            "Lorenzo",
            "Davide",
            "Stefano",
            "Giovanni",
            "Antonio",
            "Paolo",
            "Roberto",
            "Salvatore",
            "Vincenzo",
            "Nicolò",
            "Fabio",
            "Simone",
            "Riccardo",
            "Ion",
            "Mohamed",
            "Emanuele",
            "Gabriele",
            "Pietro",
            "Raffaele",
            "Domenico");

    static final List<String> FEMALE_NAMES = List.of(
            "Giulia",
            "Francesca",
            "Sara",
            "Laura",
            "Chiara",
            "Valentina",
            "Alessandra",
            "Elena",
            "Martina",
            "Federica",
            "Silvia",
            "Anna",
            "Maria",
            "Paola",
            "Roberta",
            "Elisa",
            "Ilaria",
            "Beatrice",
            "Noemi",
            "Ana",
            "Fatima",
            "Rosaria",
            "Carmela",
            "Lucia");

    static final List<String> SURNAMES = List.of(
            "Rossi",
            "Russo",
            "Ferrari",
            "Esposito",
            "Bianchi",
            "Romano",
            "Colombo",
            "Ricci",
            "Marino",
            "Greco",
            "Bruno",
            "Gallo",
            "Conti",
            "De Luca",
            "Mancini",
            "Costa",
            "Giordano",
            "Rizzo",
            "Lombardi",
            "Moretti",
            "Barbieri",
            "Fontana",
            "Santoro",
            "Mariani",
            "Rinaldi",
            "Caruso",
            "Ferrara",
            "Galli",
            "Martini",
            "Leone",
            "Longo",
            "Gentile",
            "Martinelli",
            "Vitale",
            "Lombardo",
            "Serra",
            "Coppola",
            "De Santis",
            "D'Angelo",
            "Marchetti",
            "Parisi",
            "Villa",
            "Conte",
            "Ferraro",
            "Fabbri",
            "Bianco",
            "Marini",
            "Grasso",
            "Popescu",
            "Ou",
            "Sala",
            "Fo");

    /** Places of birth as {@code name, Belfiore code}; the code is what the fiscal code holds. */
    static final List<String[]> PLACES = List.of(
            new String[] {"Roma", "H501"},
            new String[] {"Milano", "F205"},
            new String[] {"Napoli", "F839"},
            new String[] {"Torino", "L219"},
            new String[] {"Palermo", "G273"},
            new String[] {"Genova", "D969"},
            new String[] {"Bologna", "A944"},
            new String[] {"Firenze", "D612"},
            new String[] {"Bari", "A662"},
            new String[] {"Catania", "C351"},
            new String[] {"Venezia", "L736"},
            new String[] {"Verona", "L781"},
            new String[] {"Cagliari", "B354"},
            new String[] {"Padova", "G224"},
            new String[] {"Trieste", "L424"},
            new String[] {"Brescia", "B157"},
            new String[] {"Lecce", "E506"},
            new String[] {"Romania", "Z129"},
            new String[] {"Marocco", "Z330"},
            new String[] {"Albania", "Z100"});

    /** Employers as {@code name, the first ten digits of a partita IVA}; the check digit is computed. */
    static final List<String[]> EMPLOYERS = List.of(
            new String[] {"Edilizia Tirrenica S.r.l.", "0123456078"},
            new String[] {"Cantieri Riuniti Soc. Coop.", "0567890123"},
            new String[] {"Metalmeccanica Padana S.p.A.", "0288451015"},
            new String[] {"Impianti Elettrici Salentini S.r.l.", "0431722075"},
            new String[] {"Logistica Adriatica S.r.l.", "0199320044"},
            new String[] {"Costruzioni Alpine S.p.A.", "0073321022"},
            new String[] {"Agricola Val di Noto S.s.", "0154490087"},
            new String[] {"Officine Meccaniche Lariane S.r.l.", "0312207013"},
            new String[] {"Calcestruzzi del Tevere S.r.l.", "0940033100"},
            new String[] {"Servizi Integrati Sardi Soc. Coop.", "0366180092"});
}
