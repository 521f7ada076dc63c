// Admin: units, users, zones and posts from a CSV file. The template comes from the server; "check
// only" runs every check of the import and writes nothing; a file with any bad row imports
// nothing, and the table lists every failing check of every row, in the user's language.
import { useState } from 'preact/hooks';
import { request } from '../../api.js';
import { t } from '../../i18n/index.js';
import { problemText } from '../../problems.js';
import { html } from '../../ui/html.js';
import { Note, Section } from '../../ui/kit.js';

export const KINDS = ['units', 'users', 'zones', 'posts'];

/** A column's name as the template and the admin's spreadsheet say it. */
export function columnLabel(kind, field) {
  if (field === '_') return t('import.whole_row');
  if (field === 'name') return kind === 'users' ? t('admin.name') : t('admin.place_name');
  const key = `import.column.${field}`;
  const label = t(key);
  return label === key ? field : label;
}

/** [{ row, field, message }] from a 422's errors ({"row 3": {field: [messages]}}), by row. */
export function rowErrors(errors) {
  const lines = [];
  for (const [key, fields] of Object.entries(errors || {})) {
    const row = Number(key.replace(/^row /, ''));
    if (!Number.isInteger(row) || typeof fields !== 'object') continue;
    for (const [field, messages] of Object.entries(fields)) {
      for (const message of [].concat(messages)) lines.push({ row, field, message: String(message) });
    }
  }
  return lines.sort((a, b) => a.row - b.row);
}

function ErrorTable({ kind, lines }) {
  const rows = [...new Set(lines.map((line) => line.row))];
  return html`<table class="import-errors">
    <thead><tr><th>${t('import.row')}</th><th>${t('import.column')}</th><th>${t('import.message')}</th></tr></thead>
    ${rows.map((row) => {
      const own = lines.filter((line) => line.row === row);
      return html`<tbody key=${row}>${own.map(
        (line, index) => html`<tr>
          ${index === 0 && html`<th scope="row" rowspan=${own.length}>${row}</th>`}
          <td>${columnLabel(kind, line.field)}</td><td>${line.message}</td>
        </tr>`,
      )}</tbody>`;
    })}
  </table>`;
}

function Passwords({ issued }) {
  if (!issued?.length) return null;
  return html`<${Section} title=${t('import.passwords')}>
    <table class="import-errors passwords">
      <thead><tr><th>${t('admin.username')}</th><th>${t('import.one_time_password')}</th></tr></thead>
      <tbody>${issued.map((item) => html`<tr key=${item.username}><td>${item.username}</td><td><code>${item.one_time_password}</code></td></tr>`)}</tbody>
    </table>
  <//>`;
}

function Outcome({ kind, outcome }) {
  if (!outcome) return null;
  const { result, error } = outcome;
  if (result) {
    const text = result.dry_run ? t('import.checked', { count: result.created }) : t('import.done', { count: result.created });
    return html`<${Note} tone="success">${text}<//><${Passwords} issued=${result.passwords} />`;
  }
  const lines = error.status === 422 ? rowErrors(error.errors) : [];
  return html`<div class="import-problem">
    <${Note} tone="error">${problemText(error)}${lines.length > 0 && html`<br />${t('import.fix_and_retry')}`}<//>
    ${lines.length > 0 && html`<${ErrorTable} kind=${kind} lines=${lines} />`}
  </div>`;
}

export function AdminImport() {
  const [kind, setKind] = useState('users');
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(null);
  const [outcome, setOutcome] = useState(null);
  function choose(next) {
    setKind(next);
    setOutcome(null);
  }
  async function send(dryRun) {
    const form = new FormData();
    form.append('file', file);
    setBusy(dryRun ? 'check' : 'import');
    setOutcome(null);
    try {
      const answer = await request('POST', `/${kind}/import${dryRun ? '?dry_run=true' : ''}`, { form });
      setOutcome({ result: answer.body });
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(null);
    }
  }
  return html`<div class="admin-import">
    <div class="segmented kinds" role="group" aria-label=${t('import.kind')}>
      ${KINDS.map((each) => html`<button type="button" key=${each} class=${each === kind ? 'selected' : ''} aria-pressed=${each === kind} onClick=${() => choose(each)}>${t(`admin.${each}`)}</button>`)}
    </div>
    <p class="muted small">${t('import.template_hint')}</p>
    <a class="button small" href=${`/api/v1/${kind}/import/template.csv`} download>${t('import.template')}</a>
    <form class="form inline" onSubmit=${(event) => { event.preventDefault(); send(false); }}>
      <label class="button file-pick">
        <input type="file" name="file" accept=".csv,text/csv" onChange=${(event) => { setFile(event.target.files[0] || null); setOutcome(null); }} />
        ${file ? t('import.file_chosen', { name: file.name }) : t('import.choose_file')}
      </label>
      <div class="actions-row">
        <button type="button" class="button" disabled=${!file || busy} onClick=${() => send(true)}>${busy === 'check' ? t('import.checking') : t('import.check')}</button>
        <button class="button primary" disabled=${!file || busy}>${busy === 'import' ? t('import.importing') : t('import.run')}</button>
      </div>
    </form>
    <${Outcome} kind=${kind} outcome=${outcome} />
  </div>`;
}
