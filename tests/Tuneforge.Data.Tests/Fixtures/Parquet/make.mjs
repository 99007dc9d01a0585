// Writes the Parquet fixtures with arrow-rs (the Rust Arrow project's Parquet writer, as WebAssembly in parquet-wasm):
// an independent writer, as pandas/pyarrow or Hugging Face datasets would be. Run: npm ci && node make.mjs
import { writeFileSync } from 'node:fs';
import { Field, List, Struct, Table as ArrowTable, Utf8, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Table, WriterPropertiesBuilder, Compression, writeParquet } from 'parquet-wasm';

function write(name, arrowTable, compression, rowGroupSize) {
  const properties = new WriterPropertiesBuilder()
    .setCompression(compression)
    .setDictionaryEnabled(true)
    .setMaxRowGroupSize(rowGroupSize)
    .setCreatedBy('arrow-rs via parquet-wasm 0.8.0')
    .build();
  const bytes = writeParquet(Table.fromIPCStream(tableToIPC(arrowTable, 'stream')), properties);
  writeFileSync(name, bytes);
  console.log(`${name}: ${arrowTable.numRows} rows, ${bytes.length} bytes`);
}

// ShareGPT as Hugging Face stores it: conversations is list<struct<from: string, value: string>>.
// 5 rows in row groups of 3: the fifth row (row group 2, row 2) has a role ShareGPT does not have.
const sharegptRows = [
  { id: 'sg-1', category: '退款', system: null, conversations: [{ from: 'human', value: '退款多久到账？' }, { from: 'gpt', value: '原路退回，1-3个工作日到账。' }] },
  { id: 'sg-2', category: '物流', system: '你是客服。', conversations: [{ from: 'human', value: '发什么快递？' }, { from: 'gpt', value: '默认顺丰。' }] },
  { id: 'sg-3', category: '物流', system: null, conversations: [{ from: 'human', value: '能改地址吗？' }, { from: 'gpt', value: '发货前可以。' }, { from: 'human', value: '发货后呢？' }, { from: 'gpt', value: '请联系快递改派。' }] },
  { id: 'sg-4', category: '发票', system: null, conversations: [{ from: 'human', value: '怎么开发票？' }, { from: 'gpt', value: '订单页申请电子发票。' }] },
  { id: 'sg-5', category: '发票', system: null, conversations: [{ from: 'human', value: '你好' }, { from: 'robot', value: '您好！' }] },
];
const turn = new Struct([new Field('from', new Utf8(), false), new Field('value', new Utf8(), false)]);
const column = (name, type) => vectorFromArray(sharegptRows.map(r => r[name]), type);
const sharegpt = new ArrowTable({
  id: column('id', new Utf8()),
  category: column('category', new Utf8()),
  system: column('system', new Utf8()),
  conversations: column('conversations', new List(new Field('item', turn, false))),
});
write('sharegpt-zh.parquet', sharegpt, Compression.SNAPPY, 3);

// A general instruction set (alpaca columns), zstd-compressed, one row group of 12.
const general = tableFromArrays({
  instruction: Array.from({ length: 12 }, (_, i) => `把数字 ${i} 写成汉字。`),
  input: Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? '用大写。' : '')),
  output: ['零', '一', '二', '叁', '四', '五', '陆', '七', '八', '玖', '十', '十一'],
});
write('general-zh.parquet', general, Compression.ZSTD, 64);
