// The import's error table: every message of every column of every row, by row number, each
// column named as the template names it (the zone head's id as the column that names the head).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setLocale } from '../src/i18n/index.js';
import { columnLabel, rowErrors } from '../src/views/accounts/admin-import.js';

const noStorage = { getItem: () => null, setItem: () => {} };

test('every message of every row is a line, rows in number order', () => {
  const errors = {
    'row 12': { code: ['该编码已被使用。'] },
    'row 3': { name: ['必填。'], lat: ['须在 -90 到 90 之间。', '另一条。'] },
  };
  assert.deepEqual(rowErrors(errors), [
    { row: 3, field: 'name', message: '必填。' },
    { row: 3, field: 'lat', message: '须在 -90 到 90 之间。' },
    { row: 3, field: 'lat', message: '另一条。' },
    { row: 12, field: 'code', message: '该编码已被使用。' },
  ]);
  assert.deepEqual(rowErrors({ file: ['必填。'] }), []); // not a row: said by the note, not the table
  assert.deepEqual(rowErrors(null), []);
});

test('columns are named as the template names them, in the chosen language', async () => {
  await setLocale('zh-CN', noStorage);
  assert.equal(columnLabel('zones', 'head_id'), '责任区长工号');
  assert.equal(columnLabel('zones', 'name'), '名称');
  assert.equal(columnLabel('users', 'name'), '姓名');
  assert.equal(columnLabel('users', '_'), '整行');
  assert.equal(columnLabel('users', 'nickname'), 'nickname'); // an unknown header: as the file has it
  await setLocale('en', noStorage);
  assert.equal(columnLabel('posts', 'holder_username'), "Holder's username");
  await setLocale('zh-CN', noStorage);
});
