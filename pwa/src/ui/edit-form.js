// One edit form for the admin's records (zones, posts, users, channels): a list of field specs,
// the record from GET `path`, and on save a PATCH of only the fields that changed, so a change to
// the radius never re-sends (and re-judges) the head, and the admin log records what really
// changed. With `create`, the same form POSTs a new record from a blank one.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post } from '../api.js';
import { t } from '../i18n/index.js';
import { problemText } from '../problems.js';
import { html } from './html.js';
import { ErrorNote, Field, Loading, Note, fieldErrors } from './kit.js';

/** The form's value of a record's field: inputs hold text, switches booleans. */
function toForm(spec, record) {
  const value = spec.get ? spec.get(record) : record[spec.name];
  if (spec.type === 'switch') return Boolean(value);
  if (spec.type === 'checks') return value || [];
  // write-only: the record never holds it, so the field starts empty and is sent only when typed
  if (spec.type === 'secret') return '';
  if (spec.type === 'lines') return (value || []).map(spec.show || String).join('\n');
  return value === null || value === undefined ? '' : String(value);
}

/** The JSON the API takes for a form value ('' is null where the field may be empty). */
function toBody(spec, value) {
  switch (spec.type) {
    case 'switch':
      return value;
    case 'checks': // in the options' order, so that the same choice compares equal
      return spec.options.map((option) => option.value).filter((option) => value.includes(option));
    case 'lines':
      return value.split('\n').map((line) => line.trim()).filter(Boolean).map(spec.read || String);
    case 'number':
    case 'id': {
      if (value.trim() === '') return null;
      // Not a number: sent as typed, for the server to say what is wrong with it.
      return Number.isNaN(Number(value)) ? value : Number(value);
    }
    default:
      return value === '' && spec.optional ? null : value;
  }
}

function Input({ spec, value, set }) {
  const onInput = (event) => set(event.target.value);
  if (spec.type === 'textarea' || spec.type === 'lines') {
    return html`<textarea name=${spec.name} rows=${spec.rows || 3} maxlength=${spec.max} value=${value} onInput=${onInput}></textarea>`;
  }
  if (spec.type === 'id' || spec.type === 'choice') {
    return html`<select name=${spec.name} value=${value} onChange=${onInput}>
      ${spec.optional && html`<option value=""></option>`}
      ${spec.options.map((option) => html`<option key=${option.value} value=${option.value}>${option.label}</option>`)}
    </select>`;
  }
  const numeric = spec.type === 'number';
  const type = spec.type === 'secret' ? 'password' : spec.inputType || 'text';
  return html`<input name=${spec.name} type=${numeric ? 'text' : type} inputmode=${numeric ? spec.inputMode || 'decimal' : undefined}
    maxlength=${spec.max} value=${value} onInput=${onInput} placeholder=${spec.placeholder}
    autocomplete=${spec.type === 'secret' ? 'new-password' : undefined} />`;
}

/** Several of a list of choices, as checkboxes under one legend. */
function Checks({ spec, value, set, error }) {
  const flip = (option) => set(value.includes(option) ? value.filter((v) => v !== option) : [...value, option]);
  return html`<fieldset class="field" name=${spec.name}>
    <legend class="field-label">${spec.label}</legend>
    ${spec.hint && html`<span class="field-hint">${spec.hint}</span>`}
    <span class="check-grid">${spec.options.map(
      (option) => html`<label class="switch" key=${option.value}>
        <input type="checkbox" value=${option.value} checked=${value.includes(option.value)} onChange=${() => flip(option.value)} /><span>${option.label}</span>
      </label>`,
    )}</span>
    ${error && html`<span class="field-error" role="alert">${error}</span>`}
  </fieldset>`;
}

function FormField({ spec, value, set, error, hint }) {
  if (spec.type === 'checks') return html`<${Checks} spec=${spec} value=${value} set=${set} error=${error} />`;
  if (spec.type === 'switch') {
    return html`<label class="switch"><input type="checkbox" name=${spec.name} checked=${value} onChange=${(e) => set(e.target.checked)} /><span>${spec.label}</span></label>
      ${error && html`<span class="field-error" role="alert">${error}</span>`}`;
  }
  return html`<${Field} label=${spec.label} hint=${hint} error=${error}><${Input} spec=${spec} value=${value} set=${set} /><//>`;
}

/** What a create form sends: every field given a value (the server fills in the rest). */
function filled(fields, form) {
  const body = {};
  for (const spec of fields) {
    const value = toBody(spec, form[spec.name]);
    if (value !== '' && value !== null) body[spec.name] = value;
  }
  return body;
}

/** The record at `path` (fetched unless the caller has it: `given`) as a form of `fields`;
 * `onSaved(record)` after a PATCH succeeds. With `create`, `given` is the blank record and the
 * form POSTs to `path`, then starts blank again. A spec's `when(values)` shows it only for some
 * values of the others, and its `hint` may be a function of them too. */
export function EditForm({ path, fields, given, onSaved, create = false }) {
  const [record, setRecord] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [form, setForm] = useState({});
  const [errors, setErrors] = useState({});
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  function show(answer) {
    setRecord(answer);
    setForm(Object.fromEntries(fields.map((spec) => [spec.name, toForm(spec, answer)])));
  }
  useEffect(() => {
    if (given) show(given);
    else get(path).then(show, setLoadError);
  }, [path]);
  if (loadError) return html`<${ErrorNote} error=${loadError} />`;
  if (!record) return html`<${Loading} />`;
  const values = { ...record, ...form };
  const shown = fields.filter((spec) => !spec.when || spec.when(values));
  const changes = () => {
    const body = {};
    for (const spec of shown) {
      const value = toBody(spec, form[spec.name]);
      if (JSON.stringify(value) !== JSON.stringify(toBody(spec, toForm(spec, record)))) body[spec.name] = value;
    }
    return body;
  };
  async function save(event) {
    event.preventDefault();
    const body = create ? filled(shown, form) : changes();
    setErrors({});
    if (!create && !Object.keys(body).length) return setNote({ tone: 'info', text: t('admin.nothing_changed') });
    setBusy(true);
    try {
      const answer = await (create ? post(path, body) : patch(path, body));
      show(create ? given : answer);
      setNote({ tone: 'success', text: t(create ? 'admin.added' : 'admin.saved') });
      onSaved?.(answer);
    } catch (caught) {
      setErrors(fieldErrors(caught));
      setNote({ tone: 'error', text: problemText(caught) });
    } finally {
      setBusy(false);
    }
  }
  const set = (name) => (value) => setForm((f) => ({ ...f, [name]: value }));
  return html`<form class="form" onSubmit=${save} data-loaded="true">
    ${shown.map(
      (spec) => html`<${FormField} key=${spec.name} spec=${spec} value=${form[spec.name]} set=${set(spec.name)} error=${errors[spec.name]}
        hint=${typeof spec.hint === 'function' ? spec.hint(values) : spec.hint} />`,
    )}
    ${note && html`<${Note} tone=${note.tone}>${note.text}<//>`}
    <button class="button primary big" disabled=${busy}>${t(create ? 'admin.add' : 'common.save')}</button>
  </form>`;
}
