/**
 * TACRED's 42 labels in the order of `relations` in the official examples/utils_glue.py
 * (microsoft/K-Adapter @ 43651cd, examples/utils_glue.py:174-185), copied by a script from that file.
 * `no_relation` is label 28 (the metric hard-codes it).
 */
// biome-ignore format: the official list, 4 per line
export const TACRED_RELATIONS: readonly string[] = Object.freeze([
  'per:siblings', 'per:parents', 'org:member_of', 'per:origin',
  'per:alternate_names', 'per:date_of_death', 'per:title', 'org:alternate_names',
  'per:countries_of_residence', 'org:stateorprovince_of_headquarters', 'per:city_of_death', 'per:schools_attended',
  'per:employee_of', 'org:members', 'org:dissolved', 'per:date_of_birth',
  'org:number_of_employees/members', 'org:founded', 'org:founded_by', 'org:political/religious_affiliation',
  'org:website', 'org:top_members/employees', 'per:children', 'per:cities_of_residence',
  'per:cause_of_death', 'org:shareholders', 'per:age', 'per:religion',
  'no_relation', 'org:parents', 'org:subsidiaries', 'per:country_of_birth',
  'per:stateorprovince_of_death', 'per:city_of_birth', 'per:stateorprovinces_of_residence', 'org:country_of_headquarters',
  'per:other_family', 'per:stateorprovince_of_birth', 'per:country_of_death', 'per:charges',
  'org:city_of_headquarters', 'per:spouse',
]);

/** The TACRED label of "no relation", which negative sampling and the metric treat specially. */
export const NO_RELATION = 'no_relation';
