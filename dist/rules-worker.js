import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{L as o}from"./chunks/chunk-C6R6C4AR.js";import"./chunks/chunk-6XUV5PZO.js";import"./chunks/chunk-OZJ4OJ24.js";import{parentPort as r,workerData as t}from"node:worker_threads";var e=t;"file"in e?r?.postMessage((await o([e.file,...e.context??[]],e.repository))[0]):r?.postMessage(await o(e.files,e.repository));
