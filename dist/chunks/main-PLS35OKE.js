import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-R4SRG3BC.js";import"./chunk-UAPOIPOT.js";import"./chunk-VRLOUHPN.js";import"./chunk-OZJ4OJ24.js";export{a as main,b as suggest};
