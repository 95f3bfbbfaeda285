package dev.dossier.client.record;

import java.time.LocalDate;
import java.time.Period;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mandatory occupational-safety training modules of Italian law and how often each must be refreshed: the one
 * table Dossier uses to compute {@code valid_until} when a record does not give it ({@code issue_date} plus the
 * period) and to refuse a {@code valid_until} later than the law allows.
 *
 * <p>Sources: D.Lgs. 81/2008 art. 37 (workers, preposti, dirigenti; art. 37 c. 7-ter as amended by D.L. 146/2021:
 * preposti every two years), art. 37 c. 11 (RLS, yearly), Allegato XXI (scaffolding, 4 hours every 4 years);
 * Accordo Stato-Regioni 21 dicembre 2011 (worker general and specific training, 6-hour refresher every 5 years;
 * dirigenti every 5 years), Accordo Stato-Regioni 22 febbraio 2012 (work equipment, 4-hour refresher every 5 years),
 * Accordo Stato-Regioni 17 aprile 2025 (which consolidates the above and keeps these periods); D.M. 388/2003 art. 3
 * (first aid, every 3 years); D.M. 2 settembre 2021 art. 5 (fire prevention, every 5 years). The general module
 * ({@code generale}) is a permanent credit and does not expire.
 */
final class SafetyModules {
    private static final Map<String, Optional<Period>> REFRESHER;

    static {
        Map<String, Optional<Period>> table = new LinkedHashMap<>();
        Optional<Period> never = Optional.empty();
        Optional<Period> fiveYears = Optional.of(Period.ofYears(5));
        table.put("generale", never); // Accordo 21/12/2011 punto 4: permanent credit
        table.put("specifica_basso", fiveYears); // Accordo 21/12/2011 punto 9
        table.put("specifica_medio", fiveYears);
        table.put("specifica_alto", fiveYears);
        table.put("aggiornamento", fiveYears); // the 6-hour quinquennial refresher itself
        table.put("preposto", Optional.of(Period.ofYears(2))); // D.Lgs. 81/2008 art. 37 c. 7-ter
        table.put("dirigente", fiveYears); // Accordo 21/12/2011 punto 9
        table.put("rls", Optional.of(Period.ofYears(1))); // D.Lgs. 81/2008 art. 37 c. 11
        table.put("antincendio", fiveYears); // D.M. 2/9/2021 art. 5
        table.put("primo_soccorso", Optional.of(Period.ofYears(3))); // D.M. 388/2003 art. 3 c. 5
        table.put("attrezzature_ponteggi", Optional.of(Period.ofYears(4))); // D.Lgs. 81/2008 Allegato XXI
        // work equipment, Accordo 22/02/2012 punto 6: 4-hour refresher every 5 years
        for (String equipment : new String[] {
            "ple",
            "gru_autocarro",
            "gru_torre",
            "gru_mobile",
            "carrelli",
            "trattori",
            "escavatori",
            "pompe_calcestruzzo"
        }) {
            table.put("attrezzature_" + equipment, fiveYears);
        }
        REFRESHER = Collections.unmodifiableMap(table);
    }

    private SafetyModules() {}

    /** @return the module codes Dossier knows */
    static Set<String> codes() {
        return REFRESHER.keySet();
    }

    static boolean known(String module) {
        return REFRESHER.containsKey(module);
    }

    /** @return the refresher period of a known module, empty if it does not expire */
    static Optional<Period> refresher(String module) {
        Optional<Period> period = REFRESHER.get(module);
        if (period == null) {
            throw new IllegalArgumentException("unknown safety module " + module);
        }
        return period;
    }

    /** @return the latest date a training of {@code module} issued on {@code issued} is valid, empty if forever */
    static Optional<LocalDate> validUntil(String module, LocalDate issued) {
        return refresher(module).map(issued::plus);
    }
}
