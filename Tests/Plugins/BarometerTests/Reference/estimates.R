# Reference estimates for the barometer engine, computed with R's survey package.
#
#   Rscript estimates.R export-api DIR   writes DIR/apistrat.csv from survey's own data(api)
#   Rscript estimates.R estimate DIR     reads DIR/respondents.csv, DIR/spec.csv and (if present)
#                                        DIR/rake.csv; writes DIR/results.csv
#
# respondents.csv: unit_id, stratum, fpc (N_h), then variables and answer columns, "" for no answer.
# rake.csv:        variable, level, total   (population margins for rake()).
# spec.csv:        id, design (base|raked), column, kind (prop|mean), category, domain_vars,
#                  domain_values (both ";"-separated, "" for overall).
# results.csv:     id, estimate, se, ci_low, ci_high, df, glm_ok, ci_from.
#
# svyciprop fits a quasi-binomial svyglm. On a tiny domain of a raked design its IRLS can diverge
# (the prior weights are rescaled by their mean over the whole sample, most of them zero, so the few
# left are huge): it then reports an intercept near 1e15, estimate NaN and interval [0, NaN]. Such
# rows say glm_ok = FALSE and carry svymean's estimate, so the caller can still compare estimate and SE.
#
# svyciprop's Wald interval (confint.svyglm) turns the t quantile into a normal confidence level,
# 1 - 2 * pnorm(qt(0.025, df)), which rounds to exactly 1 when df = 1 (t = 12.7): the interval comes
# out as [0, NaN]. For those rows the interval is taken from the same svyglm fit with qt directly,
# expit(coef ± qt(0.975, df) · SE), and ci_from says "svyglm_qt" instead of "svyciprop".
#
# Every number is the plain survey-package call a statistician would write; the engine must match it.

args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]
dir <- args[2]
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")

if (mode == "export-api") {
    data(api)
    out <- data.frame(unit_id = as.character(apistrat$cds), stratum = as.character(apistrat$stype),
                      fpc = apistrat$fpc, api00 = apistrat$api00, sch_wide = as.character(apistrat$sch.wide),
                      awards = as.character(apistrat$awards), both = as.character(apistrat$both))
    write.csv(out, file.path(dir, "apistrat.csv"), row.names = FALSE)
    quit(save = "no")
}

data <- read.csv(file.path(dir, "respondents.csv"), colClasses = "character", na.strings = "",
                 check.names = FALSE, encoding = "UTF-8")
data$fpc <- as.numeric(data$fpc)
designs <- list(base = svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, data = data))

rake_file <- file.path(dir, "rake.csv")
if (file.exists(rake_file)) {
    margins <- read.csv(rake_file, colClasses = "character", encoding = "UTF-8")
    margins$total <- as.numeric(margins$total)
    vars <- unique(margins$variable)
    sample_margins <- lapply(vars, function(v) as.formula(paste0("~", v)))
    population_margins <- lapply(vars, function(v) {
        m <- margins[margins$variable == v, ]
        table <- data.frame(m$level, m$total)
        names(table) <- c(v, "Freq")
        table
    })
    designs$raked <- rake(designs$base, sample_margins, population_margins)
}

spec <- read.csv(file.path(dir, "spec.csv"), colClasses = "character", na.strings = character(0),
                 encoding = "UTF-8")
results <- vector("list", nrow(spec))
for (i in seq_len(nrow(spec))) {
    s <- spec[i, ]
    d <- designs[[s$design]]
    column <- d$variables[[s$column]]
    d$variables$.y <- if (s$kind == "prop") as.numeric(column == s$category) else as.numeric(column)
    if (s$domain_vars != "") {
        vars <- strsplit(s$domain_vars, ";", fixed = TRUE)[[1]]
        values <- strsplit(s$domain_values, ";", fixed = TRUE)[[1]]
        keep <- rep(TRUE, nrow(d$variables))
        for (k in seq_along(vars)) keep <- keep & d$variables[[vars[k]]] == values[k]
        d <- subset(d, keep)
    }
    m <- svymean(~.y, d, na.rm = TRUE)
    df <- degf(d)
    ci_from <- "svyciprop"
    if (s$kind == "prop") {
        ci <- suppressWarnings(svyciprop(~.y, d, method = "logit", na.rm = TRUE))
        estimate <- as.numeric(ci)
        limits <- as.numeric(attr(ci, "ci"))
        glm_ok <- is.finite(estimate) && abs(estimate - coef(m)) <= 1e-8
        if (!glm_ok) estimate <- as.numeric(coef(m))
        if (glm_ok && df > 0 && !all(is.finite(limits))) {
            fit <- suppressWarnings(svyglm(.y ~ 1, d, family = quasibinomial))
            limits <- plogis(as.numeric(coef(fit)) + c(-1, 1) * qt(0.975, df) * sqrt(as.numeric(vcov(fit))))
            ci_from <- "svyglm_qt"
        }
    } else {
        estimate <- as.numeric(coef(m))
        limits <- as.numeric(confint(m, df = df))
        glm_ok <- TRUE
        ci_from <- "confint"
    }
    results[[i]] <- data.frame(id = s$id, estimate = sprintf("%.17g", estimate), se = sprintf("%.17g", as.numeric(SE(m))),
                               ci_low = sprintf("%.17g", limits[1]), ci_high = sprintf("%.17g", limits[2]), df = df,
                               glm_ok = glm_ok, ci_from = ci_from)
}
write.csv(do.call(rbind, results), file.path(dir, "results.csv"), row.names = FALSE)
